#include "sim/memory/DramRun.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/report/TextTable.h"

namespace specmamba::dram {

double DramRunSummary::bandwidthGBs(const DramSpec& s) const {
  const double ns = nanoseconds(s);
  return ns > 0 ? double(stats.reads + stats.writes) * s.org.burstBytes() / ns : 0.0;
}

double DramRunSummary::rowHitRate() const {
  const double all = double(stats.rowHits + stats.rowMisses + stats.rowConflicts);
  return all > 0 ? double(stats.rowHits) / all : 0.0;
}

DramRunSummary runTraffic(DramSystem& system, TrafficSource& source, uint64_t maxRequests,
                          const std::string& workload) {
  DramRunSummary s;
  s.workload = workload;
  Cycle now = system.now();
  TrafficRequest r;
  while (s.requests < maxRequests && source.next(r)) {
    Cycle at = std::max(now, r.arrival);
    while (!system.trySubmit(r.address, r.write, s.requests, at)) {
      at = std::max(at + 1, system.nextEvent() + 1);
    }
    now = at;
    ++s.requests;
    system.completions().clear();
  }
  // Simulate up to the last data beat (refreshes due until then count), as
  // the SystemC front end does when it delivers that beat.
  system.advanceTo(system.drain());
  system.completions().clear();
  s.stats = system.stats();
  s.energy = computeEnergy(system.spec(), s.stats);
  s.commandsChecked = system.commandsChecked();
  return s;
}

namespace {

nlohmann::ordered_json latencyJson(const LatencyHistogram& h, double tckNs) {
  nlohmann::ordered_json j;
  j["count"] = h.count();
  j["mean_cycles"] = h.mean();
  j["p50_cycles"] = h.percentile(0.50);
  j["p99_cycles"] = h.percentile(0.99);
  j["max_cycles"] = h.max();
  j["mean_ns"] = h.mean() * tckNs;
  j["p50_ns"] = double(h.percentile(0.50)) * tckNs;
  j["p99_ns"] = double(h.percentile(0.99)) * tckNs;
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  const auto b = h.log2Buckets();
  for (size_t k = 0; k < b.size(); ++k) {
    buckets.push_back({{"from_cycles", k == 0 ? 0 : (uint64_t(1) << k)},
                       {"to_cycles", (uint64_t(2) << k) - 1},
                       {"count", b[k]}});
  }
  j["histogram"] = buckets;
  return j;
}

}  // namespace

nlohmann::ordered_json summaryJson(const DramSpec& spec, const DramRunSummary& s) {
  const double tckNs = double(spec.timing.tckPs) / 1000.0;
  const double ns = s.nanoseconds(spec);
  const double bits = double(s.stats.reads + s.stats.writes) * spec.org.burstBytes() * 8.0;
  nlohmann::ordered_json j;
  j["memory"] = spec.name;
  j["standard"] = spec.standard;
  j["workload"] = s.workload;
  j["requests"] = s.requests;
  j["reads"] = s.stats.reads;
  j["writes"] = s.stats.writes;
  j["burst_bytes"] = spec.org.burstBytes();
  j["cycles"] = s.cycles();
  j["tck_ps"] = spec.timing.tckPs;
  j["time_ns"] = ns;
  j["bandwidth"] = {{"achieved_gbs", s.bandwidthGBs(spec)},
                    {"peak_gbs", spec.peakBandwidthGBs()},
                    {"efficiency", s.bandwidthGBs(spec) / spec.peakBandwidthGBs()}};
  j["read_latency"] = latencyJson(s.stats.readLatency, tckNs);
  j["write_latency"] = latencyJson(s.stats.writeLatency, tckNs);
  j["row_buffer"] = {{"hits", s.stats.rowHits},
                     {"misses", s.stats.rowMisses},
                     {"conflicts", s.stats.rowConflicts},
                     {"hit_rate", s.rowHitRate()}};
  nlohmann::ordered_json cmds;
  for (Command c : ALL_COMMANDS) cmds[commandName(c)] = s.stats.commands[index(c)];
  j["commands"] = cmds;
  j["refreshes"] =
      s.stats.commands[index(Command::REFab)] + s.stats.commands[index(Command::REFpb)];
  const EnergyBreakdown& e = s.energy;
  j["energy"] = {{"act_nj", e.act / 1000},
                 {"pre_nj", e.pre / 1000},
                 {"read_nj", e.rd / 1000},
                 {"write_nj", e.wr / 1000},
                 {"refresh_nj", e.ref / 1000},
                 {"background_nj", e.background / 1000},
                 {"io_nj", e.io / 1000},
                 {"total_nj", e.total() / 1000},
                 {"pj_per_bit", bits > 0 ? e.total() / bits : 0.0},
                 {"average_power_mw", ns > 0 ? e.total() / ns : 0.0},
                 {"source", spec.power.source}};
  j["protocol_checker"] = s.commandsChecked > 0 ? nlohmann::ordered_json(s.commandsChecked)
                                                : nlohmann::ordered_json("off");
  return j;
}

std::string summaryText(const DramSpec& spec, const DramRunSummary& s) {
  const nlohmann::ordered_json j = summaryJson(spec, s);
  auto f1 = [](double v) { return fmt::format("{:.1f}", v); };
  auto f2 = [](double v) { return fmt::format("{:.2f}", v); };
  std::string out =
      fmt::format("{} ({}), {}: {} requests ({} reads, {} writes) in {} cycles = {:.1f} ns\n",
                  spec.name, spec.standard, s.workload, s.requests, s.stats.reads, s.stats.writes,
                  s.cycles(), s.nanoseconds(spec));
  TextTable bw({"bandwidth", "GB/s"});
  bw.addRow({"achieved", f2(s.bandwidthGBs(spec))});
  bw.addRow({"peak", f2(spec.peakBandwidthGBs())});
  bw.addRow({"efficiency %", f1(100.0 * s.bandwidthGBs(spec) / spec.peakBandwidthGBs())});
  TextTable lat({"latency", "count", "mean(cyc)", "p50(cyc)", "p99(cyc)", "max(cyc)", "mean(ns)"});
  for (const char* k : {"read_latency", "write_latency"}) {
    const auto& l = j[k];
    lat.addRow({k == std::string("read_latency") ? "read" : "write",
                std::to_string(l["count"].get<uint64_t>()), f1(l["mean_cycles"].get<double>()),
                std::to_string(l["p50_cycles"].get<int64_t>()),
                std::to_string(l["p99_cycles"].get<int64_t>()),
                std::to_string(l["max_cycles"].get<int64_t>()), f1(l["mean_ns"].get<double>())});
  }
  TextTable rows({"row buffer", "count", "%"});
  const double all = double(s.stats.rowHits + s.stats.rowMisses + s.stats.rowConflicts);
  auto pct = [&](uint64_t v) { return f1(all > 0 ? 100.0 * double(v) / all : 0.0); };
  rows.addRow({"hits", std::to_string(s.stats.rowHits), pct(s.stats.rowHits)});
  rows.addRow({"misses", std::to_string(s.stats.rowMisses), pct(s.stats.rowMisses)});
  rows.addRow({"conflicts", std::to_string(s.stats.rowConflicts), pct(s.stats.rowConflicts)});
  TextTable cmds({"command", "count"});
  for (Command c : ALL_COMMANDS)
    cmds.addRow({commandName(c), std::to_string(s.stats.commands[index(c)])});
  TextTable en({"energy", "nJ"});
  const auto& e = j["energy"];
  for (const char* k : {"act_nj", "pre_nj", "read_nj", "write_nj", "refresh_nj", "background_nj",
                        "io_nj", "total_nj"}) {
    std::string name = k;
    en.addRow({name.substr(0, name.size() - 3), f1(e[k].get<double>())});
  }
  out += bw.render() + "\n" + lat.render() + "\n" + rows.render() + "\n" + cmds.render() + "\n" +
         en.render();
  out += fmt::format("energy per bit: {:.2f} pJ, average power {:.1f} mW (currents: {})\n",
                     e["pj_per_bit"].get<double>(), e["average_power_mw"].get<double>(),
                     spec.power.source);
  out += fmt::format("protocol checker: {}\n",
                     s.commandsChecked > 0
                         ? fmt::format("{} commands checked, no violation", s.commandsChecked)
                         : std::string("off (--check turns it on)"));
  return out;
}

}  // namespace specmamba::dram
