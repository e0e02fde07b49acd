// Latency and bandwidth the issue demands of every preset.
#include <catch2/catch.hpp>

#include "sim/memory/DramRun.h"
#include "tests/memory/MemoryTestUtil.h"

using namespace specmamba;
using namespace specmamba::dram;

namespace {

DramRunSummary run(const DramSpec& spec, const std::string& pattern, uint64_t requests,
                   uint64_t stride = 0, double readRatio = 1.0) {
  DramSystem system(spec);
  PatternSource source(parsePattern(pattern), spec, stride ? stride : uint64_t(spec.org.rowBytes()),
                       readRatio, 11);
  return runTraffic(system, source, requests, pattern);
}

// Enough requests for several refresh intervals on every channel.
uint64_t streamRequests(const DramSpec& s) {
  const uint64_t perRefresh = uint64_t(s.timing.tREFI / s.org.burstCycles());
  return std::min<uint64_t>(uint64_t(s.org.channels) * perRefresh * 8, 800000);
}

}  // namespace

TEST_CASE("timing: isolated read = tRCD + CL + burst, row hit = CL + burst", "[memory][timing]") {
  for (const std::string& name : test::memoryPresets()) {
    for (int frontend : {0, 5}) {
      const DramSpec spec = test::presetWith(
          name, [&](nlohmann::json& j) { j["controller"]["frontend_latency"] = frontend; });
      const DramTiming& t = spec.timing;
      const int burst = spec.org.burstCycles();
      INFO(name << " frontend latency " << frontend);
      DramSystemOptions o;
      o.checker = true;
      DramSystem system(spec, o);
      const uint64_t row = uint64_t(spec.org.rowBytes()) * uint64_t(spec.org.channels);
      CHECK(system.access(0, false, 100) == 100 + frontend + t.tRCD + t.CL + burst);
      // Same row (bursts of one row are spread over channels and bank groups by
      // the mapping; encode the next column of the same bank explicitly).
      DramAddress a = system.mapper().decode(0);
      a.column += spec.org.burstLength;
      const uint64_t hit = system.mapper().encode(a);
      CHECK(system.access(hit, false, 1000) == 1000 + frontend + t.CL + burst);
      // Writes: tRCD + CWL + burst on an idle bank, CWL + burst on a hit.
      DramAddress w = system.mapper().decode(row * 4);
      w.bank = (w.bank + 1) % spec.org.banksPerGroup;
      const uint64_t idle = system.mapper().encode(w);
      CHECK(system.access(idle, true, 2000) == 2000 + frontend + t.tRCD + t.CWL + burst);
      w.column += spec.org.burstLength;
      CHECK(system.access(system.mapper().encode(w), true, 2500) ==
            2500 + frontend + t.CWL + burst);
      // A conflict adds the precharge: tRP + tRCD + CL + burst.
      DramAddress c = system.mapper().decode(0);
      c.row += 1;
      CHECK(system.access(system.mapper().encode(c), false, 3000) ==
            3000 + frontend + t.tRP + t.tRCD + t.CL + burst);
    }
  }
}

TEST_CASE("timing: closed-page policy makes the second access a miss", "[memory][timing]") {
  const DramSpec spec = test::presetWith(
      "ddr4-3200-x8", [](nlohmann::json& j) { j["controller"]["page_policy"] = "closed"; });
  DramSystemOptions o;
  o.checker = true;
  DramSystem system(spec, o);
  const DramTiming& t = spec.timing;
  CHECK(system.access(0, false, 100) == 100 + t.tRCD + t.CL + 4);
  DramAddress a = system.mapper().decode(0);
  a.column += 8;
  CHECK(system.access(system.mapper().encode(a), false, 1000) == 1000 + t.tRCD + t.CL + 4);
}

TEST_CASE("timing: sequential reads reach 85-98% of peak with refresh", "[memory][timing]") {
  for (const std::string& name : test::memoryPresets()) {
    const DramSpec spec = loadDramSpec(name);
    const DramRunSummary s = run(spec, "stream", streamRequests(spec));
    const double eff = s.bandwidthGBs(spec) / spec.peakBandwidthGBs();
    INFO(name << ": " << s.bandwidthGBs(spec) << " GB/s = " << eff * 100 << "% of peak, "
              << s.stats.commands[index(Command::REFab)] << " REFab");
    CHECK(eff >= 0.85);
    CHECK(eff <= 0.98);
    CHECK(s.stats.commands[index(Command::REFab)] >= uint64_t(spec.org.channels) * 4);
    CHECK(s.rowHitRate() > 0.9);
    CHECK(s.energy.total() > 0);
    CHECK(s.energy.rd > 0);
    CHECK(s.energy.act > 0);
    CHECK(s.energy.background > 0);
  }
}

TEST_CASE("timing: random reads miss the row buffer and lose bandwidth", "[memory][timing]") {
  for (const std::string& name : test::memoryPresets()) {
    const DramSpec spec = loadDramSpec(name);
    const DramRunSummary stream = run(spec, "stream", 50000);
    const DramRunSummary random = run(spec, "random", 50000);
    INFO(name << ": random " << random.bandwidthGBs(spec) << " GB/s, hit rate "
              << random.rowHitRate());
    CHECK(random.rowHitRate() < 0.10);
    CHECK(random.bandwidthGBs(spec) < 0.75 * stream.bandwidthGBs(spec));
    CHECK(random.stats.readLatency.percentile(0.99) > stream.stats.readLatency.percentile(0.50));
  }
}

TEST_CASE("timing: strided patterns follow the address mapping", "[memory][timing]") {
  for (const std::string& name : test::memoryPresets()) {
    const DramSpec spec = loadDramSpec(name);
    const AddressMapper m(spec.controller.mapping, spec.org);
    const DramTiming& t = spec.timing;
    const double tck = double(t.tckPs) / 1000.0;
    INFO(name);
    // Stride of one row field step: every request to the same bank, a new row each
    // time. One request per ACT-to-ACT period: max(tRC, tRCD + tRTP + tRP).
    const uint64_t rowStride = uint64_t(1)
                               << (m.offsetBits() + m.fieldShift(AddressMapper::Field::Ro));
    const DramRunSummary conflict = run(spec, "strided", 4000, rowStride);
    CHECK(conflict.rowHitRate() == 0.0);
    CHECK(conflict.stats.rowConflicts >= 3900);  // the rest are misses after refreshes
    CHECK(conflict.stats.rowConflicts + conflict.stats.rowMisses == 4000);
    const double period = std::max(t.tRC, t.tRCD + t.tRTP + t.tRP);
    const double refresh = 1.0 - double(t.tRFC) / t.tREFI;  // all-bank refresh time lost
    const double predicted = spec.org.burstBytes() / (period * tck) * refresh;
    CHECK(conflict.bandwidthGBs(spec) == Approx(predicted).epsilon(0.05));
    // Stride = channels x burst: everything on channel 0, sequential in its rows:
    // one channel's streaming bandwidth.
    const uint64_t channelStride = uint64_t(spec.org.burstBytes()) * uint64_t(spec.org.channels);
    const DramRunSummary oneChannel = run(spec, "strided", 20000, channelStride);
    const double channelPeak = spec.peakBandwidthGBs() / spec.org.channels;
    CHECK(oneChannel.bandwidthGBs(spec) > 0.85 * channelPeak);
    CHECK(oneChannel.bandwidthGBs(spec) <= channelPeak);
    CHECK(oneChannel.rowHitRate() > 0.9);
  }
}

TEST_CASE("timing: write drain and mixed traffic", "[memory][timing]") {
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  const DramRunSummary mixed = run(spec, "stream", 50000, 0, 0.5);
  const DramRunSummary reads = run(spec, "stream", 50000);
  CHECK(mixed.stats.writes > 20000);
  CHECK(mixed.stats.reads > 20000);
  // Bus turnarounds (tRTW, tWTR) cost bandwidth, but write batching keeps most of it.
  CHECK(mixed.bandwidthGBs(spec) < reads.bandwidthGBs(spec));
  CHECK(mixed.bandwidthGBs(spec) > 0.6 * reads.bandwidthGBs(spec));
  CHECK(mixed.stats.writeLatency.count() == mixed.stats.writes);
}

TEST_CASE("timing: per-bank refresh costs less than all-bank refresh on HBM", "[memory][timing]") {
  const DramSpec all = loadDramSpec("hbm2-u280");
  const DramSpec perBank = test::presetWith(
      "hbm2-u280", [](nlohmann::json& j) { j["controller"]["refresh_policy"] = "per-bank"; });
  const DramSpec none = test::presetWith(
      "hbm2-u280", [](nlohmann::json& j) { j["controller"]["refresh_policy"] = "none"; });
  const DramRunSummary a = run(all, "stream", 300000);
  const DramRunSummary p = run(perBank, "stream", 300000);
  const DramRunSummary n = run(none, "stream", 300000);
  CHECK(p.stats.commands[index(Command::REFpb)] > 16 * 32);
  CHECK(p.stats.commands[index(Command::REFab)] == 0);
  CHECK(n.stats.commands[index(Command::REFab)] + n.stats.commands[index(Command::REFpb)] == 0);
  CHECK(a.bandwidthGBs(all) < p.bandwidthGBs(perBank));
  CHECK(p.bandwidthGBs(perBank) <= n.bandwidthGBs(none) * 1.001);
  CHECK(a.energy.ref > 0);
  CHECK(p.energy.ref > 0);
}

TEST_CASE("timing: back-pressure bounds the queues", "[memory][timing]") {
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  DramSystem system(spec);
  int accepted = 0;
  for (uint64_t i = 0; i < 100; ++i) accepted += system.trySubmit(i * 64, false, i, 0) ? 1 : 0;
  CHECK(accepted == spec.controller.readQueue);
  system.drain();
  CHECK(system.trySubmit(0, false, 1000, system.now()));
}

TEST_CASE("timing: FR-FCFS beats strict FCFS on mixed-locality traffic", "[memory][timing]") {
  const DramSpec frfcfs = loadDramSpec("ddr4-3200-x8");
  const DramSpec fcfs = test::presetWith(
      "ddr4-3200-x8", [](nlohmann::json& j) { j["controller"]["scheduler"] = "fcfs"; });
  // A stride of one row step plus one burst interleaves two rows of one bank:
  // FR-FCFS batches the hits, FCFS ping-pongs between the rows.
  const AddressMapper m(frfcfs.controller.mapping, frfcfs.org);
  const uint64_t rowStep = uint64_t(1) << (m.offsetBits() + m.fieldShift(AddressMapper::Field::Ro));
  DramSystemOptions o;
  o.checker = true;
  auto runTwoRows = [&](const DramSpec& spec) {
    DramSystem system(spec, o);
    Cycle now = 0;
    uint64_t id = 0;
    for (uint64_t i = 0; i < 4000; ++i) {
      const uint64_t a = (i % 2) * rowStep + (i / 2) * uint64_t(spec.org.burstBytes()) * 4;
      while (!system.trySubmit(a, false, id, now)) now = system.nextEvent() + 1;
      ++id;
    }
    system.advanceTo(system.drain());
    return system.stats();
  };
  const ChannelStats a = runTwoRows(frfcfs);
  const ChannelStats b = runTwoRows(fcfs);
  CHECK(a.rowHits > 2 * b.rowHits);
  CHECK(a.lastCompletion < b.lastCompletion);
}

TEST_CASE("timing: a row is not closed while the other queue still hits it", "[memory][timing]") {
  // Reads are being served; two writes wait for the open row while a read
  // wants another row of the same bank. Closing the row for that read would
  // make the writes activate it again: 3 ACTs where 2 are needed.
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  DramSystemOptions o;
  o.checker = true;
  DramSystem system(spec, o);
  int acts = 0;
  system.setObserver([&](Command c, const DramAddress&, Cycle) { acts += c == Command::ACT; });
  DramAddress a = system.mapper().decode(0);
  auto at = [&](int64_t row, int64_t column) {
    DramAddress x = a;
    x.row = row;
    x.column = column * spec.org.burstLength;
    return system.mapper().encode(x);
  };
  REQUIRE(system.trySubmit(at(1, 0), false, 1, 0));
  REQUIRE(system.trySubmit(at(1, 1), true, 2, 0));
  REQUIRE(system.trySubmit(at(1, 2), true, 3, 0));
  REQUIRE(system.trySubmit(at(2, 0), false, 4, 0));
  system.advanceTo(system.drain());
  CHECK(acts == 2);
  CHECK(system.stats().writes == 2);
  CHECK(system.stats().reads == 2);
}

TEST_CASE("timing: on mixed random traffic no precharge closes a row with queued hits",
          "[memory][timing]") {
  // Tracks every queued request per (bank, row) from the outside and checks
  // each PRE against the row the bank has open (refresh off: a refresh may
  // legitimately close such a row).
  for (const std::string& name : {std::string("ddr4-3200-x8"), std::string("hbm2-u280")}) {
    INFO(name);
    const DramSpec spec = test::presetWith(
        name, [](nlohmann::json& j) { j["controller"]["refresh_policy"] = "none"; });
    DramSystemOptions opt;
    opt.checker = true;
    DramSystem system(spec, opt);
    const AddressMapper& m = system.mapper();
    auto key = [&](const DramAddress& x) {
      return std::make_tuple(x.channel, x.rank, x.bankGroup, x.bank);
    };
    std::map<std::tuple<int, int, int, int>, int64_t> open;
    std::map<std::tuple<int, int, int, int, int64_t>, int> queued;
    int64_t badPrecharges = 0, precharges = 0, columns = 0;
    system.setObserver([&](Command c, const DramAddress& x, Cycle) {
      const auto k = key(x);
      if (c == Command::ACT) open[k] = x.row;
      if (c == Command::PRE) {
        ++precharges;
        const auto row = open.find(k);
        if (row != open.end() &&
            queued[std::tuple_cat(k, std::make_tuple(row->second))] > 0)
          ++badPrecharges;
        open.erase(k);
      }
      if (isColumn(c)) {
        ++columns;
        --queued[std::tuple_cat(k, std::make_tuple(x.row))];
        if (isAutoPrecharge(c)) open.erase(k);
      }
    });
    PatternSource source(Pattern::Random, spec, 0, 2.0 / 3.0, 5);
    // Addresses confined to a few rows per bank so that hits are common.
    const uint64_t rows = 4;
    Cycle now = 0;
    TrafficRequest r;
    for (uint64_t id = 0; id < 20000; ++id) {
      source.next(r);
      DramAddress x = m.decode(r.address);
      x.row %= int64_t(rows);
      const uint64_t addr = m.encode(x);
      while (!system.trySubmit(addr, r.write, id, now)) now = system.nextEvent() + 1;
      ++queued[std::tuple_cat(key(x), std::make_tuple(x.row))];
    }
    system.advanceTo(system.drain());
    CHECK(columns == 20000);
    CHECK(precharges > 1000);
    CHECK(badPrecharges == 0);
  }
}

TEST_CASE("timing: per-bank queues bound each bank's requests", "[memory][timing][config]") {
  const DramSpec perBank = test::presetWith("ddr4-3200-x8", [](nlohmann::json& j) {
    j["controller"]["queue_structure"] = "per-bank";
    j["controller"]["bank_queue"] = 4;
  });
  DramSystem system(perBank);
  DramAddress a = system.mapper().decode(0);
  int accepted = 0;
  for (int i = 0; i < 10; ++i) {
    DramAddress x = a;
    x.column = i * perBank.org.burstLength;
    accepted += system.trySubmit(system.mapper().encode(x), i % 2 == 1, uint64_t(i), 0) ? 1 : 0;
  }
  CHECK(accepted == 4);  // reads and writes of one bank share its queue
  // Another bank still has room.
  DramAddress other = a;
  other.bank = (a.bank + 1) % perBank.org.banksPerGroup;
  CHECK(system.trySubmit(system.mapper().encode(other), false, 99, 0));
  system.drain();
  // A bank queue as deep as the channel queues changes nothing.
  const DramSpec deep = test::presetWith("ddr4-3200-x8", [](nlohmann::json& j) {
    j["controller"]["queue_structure"] = "per-bank";
    j["controller"]["bank_queue"] = 64;
  });
  const DramRunSummary x = run(deep, "random", 20000, 0, 0.67);
  const DramRunSummary y = run(loadDramSpec("ddr4-3200-x8"), "random", 20000, 0, 0.67);
  CHECK(x.cycles() == y.cycles());
  CHECK(x.stats.commands == y.stats.commands);
  // A shallow one slows random traffic (fewer requests to choose from).
  const DramSpec shallow = test::presetWith("ddr4-3200-x8", [](nlohmann::json& j) {
    j["controller"]["queue_structure"] = "per-bank";
    j["controller"]["bank_queue"] = 1;
  });
  CHECK(run(shallow, "random", 20000, 0, 0.67).cycles() > y.cycles());
}
