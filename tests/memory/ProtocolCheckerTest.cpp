// The protocol checker catches every constraint at t-1 and accepts it at t,
// checks bank state, and catches the controller when a constraint is disabled.
#include <algorithm>
#include <catch2/catch.hpp>

#include "sim/memory/DramRun.h"
#include "sim/memory/ProtocolChecker.h"
#include "sim/memory/TimingTable.h"
#include "tests/memory/MemoryTestUtil.h"

using namespace specmamba;
using namespace specmamba::dram;

namespace {

bool mentions(const std::vector<Violation>& v, const std::string& name) {
  return std::any_of(v.begin(), v.end(), [&](const Violation& x) { return x.constraint == name; });
}

bool needsOpen(Command c) { return isColumn(c) || c == Command::PRE; }

DramAddress bankAt(const DramOrganization& o, int rank, int flat) {
  DramAddress a;
  a.rank = rank;
  a.bankGroup = flat / o.banksPerGroup;
  a.bank = flat % o.banksPerGroup;
  a.row = 1;
  return a;
}

// A second address sharing exactly the row's scope with `a` (not a narrower one).
DramAddress partner(const DramOrganization& o, const TimingConstraint& c, const DramAddress& a) {
  DramAddress b = a;
  if (c.sibling) {
    b.rank = 1;
  } else if (c.scope == Scope::BankGroup) {
    b.bank = (a.bank + 1) % o.banksPerGroup;
  } else if (c.scope == Scope::Rank || c.scope == Scope::Channel) {
    if (o.bankGroups > 1) {
      b.bankGroup = (a.bankGroup + 1) % o.bankGroups;
    } else {
      b.bank = (a.bank + 1) % o.banksPerGroup;
    }
  }
  return b;
}

struct Step {
  Command cmd;
  DramAddress addr;
  Cycle at;
};

// Legal-looking history ending with `from` at T0; returns the `to` address.
DramAddress buildHistory(const DramSpec& spec, const TimingConstraint& c, Cycle t0,
                         std::vector<Step>& steps) {
  const DramOrganization& o = spec.org;
  if (c.window > 1) {
    for (int k = 0; k < c.window; ++k) steps.push_back({c.from, bankAt(o, 0, k), t0 + k});
    return bankAt(o, 0, c.window);
  }
  const DramAddress a = bankAt(o, 0, 0);
  const DramAddress b = partner(o, c, a);
  const bool sameBank = b.rank == a.rank && b.bankGroup == a.bankGroup && b.bank == a.bank;
  if (needsOpen(c.from)) steps.push_back({Command::ACT, a, 0});
  const bool aOpenAfter = c.from == Command::ACT ||
                          (needsOpen(c.from) && c.from != Command::PRE && !isAutoPrecharge(c.from));
  if (needsOpen(c.to) && !sameBank) steps.push_back({Command::ACT, b, 100});
  steps.push_back({c.from, a, t0});
  if ((c.to == Command::ACT || c.to == Command::REFpb) && sameBank && aOpenAfter) {
    steps.push_back({Command::PRE, a, t0 + 1});
  }
  if (c.to == Command::REFab && aOpenAfter) steps.push_back({Command::PREA, a, t0 + 1});
  return b;
}

void checkEveryConstraint(const DramSpec& spec) {
  const std::vector<TimingConstraint> table = buildTimingTable(spec);
  REQUIRE(table.size() > 30);
  for (const TimingConstraint& c : table) {
    INFO(spec.name << ": " << c.name << " " << commandName(c.from) << " -> " << commandName(c.to)
                   << " (" << scopeName(c.scope) << (c.sibling ? ", sibling" : "") << ", "
                   << c.latency << " cycles)");
    const Cycle t0 = 10000;
    std::vector<Step> steps;
    const DramAddress to = buildHistory(spec, c, t0, steps);
    ProtocolChecker checker(spec, table);
    for (const Step& s : steps) checker.record(s.cmd, s.addr, s.at);
    const Cycle legal = t0 + c.latency;
    CHECK(mentions(checker.check(c.to, to, legal - 1), c.name));
    CHECK_FALSE(mentions(checker.check(c.to, to, legal), c.name));
  }
}

}  // namespace

TEST_CASE("checker: every timing constraint of every preset at t-1 and t", "[memory][checker]") {
  for (const std::string& name : test::memoryPresets()) checkEveryConstraint(loadDramSpec(name));
}

TEST_CASE("checker: rank-to-rank and per-bank refresh constraints at t-1 and t",
          "[memory][checker]") {
  // Two ranks (sibling rows) and per-bank refresh (REFpb rows) are not in every preset.
  checkEveryConstraint(
      test::presetWith("ddr4-3200-x8", [](nlohmann::json& j) { j["organization"]["ranks"] = 2; }));
  checkEveryConstraint(test::presetWith(
      "hbm2-u280", [](nlohmann::json& j) { j["controller"]["refresh_policy"] = "per-bank"; }));
}

TEST_CASE("checker: bank state", "[memory][checker]") {
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  ProtocolChecker checker(spec, buildTimingTable(spec));
  DramAddress a;
  a.row = 5;
  CHECK(mentions(checker.check(Command::RD, a, 100), "bank state"));  // closed bank
  checker.onCommand(Command::ACT, a, 100);
  CHECK(mentions(checker.check(Command::ACT, a, 1000), "bank state"));  // already open
  DramAddress other = a;
  other.row = 6;
  CHECK(mentions(checker.check(Command::WR, other, 1000), "bank state"));  // wrong row
  CHECK(mentions(checker.check(Command::REFab, a, 1000), "bank state"));   // a bank open
  CHECK(checker.check(Command::RD, a, 1000).empty());
  checker.onCommand(Command::RDA, a, 1000);
  CHECK(mentions(checker.check(Command::RD, a, 2000), "bank state"));  // auto-precharged
  CHECK(checker.check(Command::REFab, a, 2000).empty());
  DramAddress bad = a;
  bad.column = 3;  // not burst aligned
  CHECK(mentions(checker.check(Command::ACT, bad, 3000), "address"));
  // onCommand throws with command, cycle and constraint.
  checker.onCommand(Command::ACT, a, 3000);
  CHECK_THROWS_WITH(checker.onCommand(Command::RD, a, 3005), Catch::Contains("cycle 3005") &&
                                                                 Catch::Contains("RD ch0") &&
                                                                 Catch::Contains("tRCD"));
}

namespace {

void expectCaught(const std::string& preset, const std::string& constraint,
                  const std::string& pattern, double readRatio, uint64_t requests) {
  INFO(preset << " without " << constraint << " on " << pattern);
  const DramSpec spec = loadDramSpec(preset);
  DramSystemOptions o;
  o.checker = true;
  o.disableConstraint = constraint;
  DramSystem system(spec, o);
  PatternSource source(parsePattern(pattern), spec, uint64_t(spec.org.rowBytes()), readRatio, 7);
  CHECK_THROWS_WITH(runTraffic(system, source, requests, pattern),
                    Catch::Contains("protocol violation") && Catch::Contains(constraint));
}

}  // namespace

TEST_CASE("checker: catches the controller when a constraint is disabled", "[memory][checker]") {
  expectCaught("ddr4-3200-x8", "tRCD", "random", 1.0, 2000);
  expectCaught("ddr4-3200-x8", "tRAS", "random", 1.0, 2000);
  expectCaught("ddr4-3200-x8", "tFAW", "random", 1.0, 2000);
  expectCaught("ddr4-3200-x8", "tCCD_S", "stream", 1.0, 2000);
  expectCaught("ddr4-3200-x8", "tRFC", "stream", 1.0, 20000);
  expectCaught("ddr4-3200-x8", "tRTW", "stream", 0.5, 5000);
  expectCaught("hbm2-u280", "tRCD", "random", 1.0, 2000);
  expectCaught("lpddr4-4266", "tRCD", "random", 1.0, 2000);
  expectCaught("hbm2e-vhk158", "tRRD_S", "random", 1.0, 2000);
  expectCaught("ddr4-3200-x16", "tRRD_L", "random", 1.0, 4000);
}

TEST_CASE("checker: the controller passes on every preset and workload", "[memory][checker]") {
  for (const std::string& name : test::memoryPresets()) {
    const DramSpec spec = loadDramSpec(name);
    for (const char* pattern : {"stream", "random", "strided"}) {
      for (double ratio : {1.0, 0.6}) {
        INFO(name << " " << pattern << " read ratio " << ratio);
        DramSystemOptions o;
        o.checker = true;
        DramSystem system(spec, o);
        PatternSource source(parsePattern(pattern), spec, uint64_t(spec.org.rowBytes()), ratio, 3);
        const DramRunSummary s = runTraffic(system, source, 20000, pattern);
        CHECK(s.commandsChecked > 20000);
        CHECK(s.stats.reads + s.stats.writes == 20000);
      }
    }
  }
}
