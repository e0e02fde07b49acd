#include "sim/memory/TimingTable.h"

#include <vector>

namespace specmamba::dram {

namespace {

using C = Command;
// Owned lists: an initializer_list member would dangle once the table is built.
using Cmds = std::vector<Command>;

// One line of the table: every command of `from` constrains every command of `to`.
struct Row {
  Scope scope;
  Cmds from;
  Cmds to;
  int latency;
  const char* name;
  int window = 1;
  bool sibling = false;
};

}  // namespace

std::vector<TimingConstraint> buildTimingTable(const DramSpec& spec) {
  const DramTiming& t = spec.timing;
  const int bl = spec.org.burstCycles();
  const Cmds RD = {C::RD, C::RDA}, WR = {C::WR, C::WRA}, COL = {C::RD, C::RDA, C::WR, C::WRA};
  const int wrToPre = t.CWL + bl + t.tWR;
  const std::vector<Row> rows = {
      // Data bus and column-to-column (rank and bank group).
      {Scope::Rank, RD, RD, t.tCCD_S, "tCCD_S"},
      {Scope::Rank, WR, WR, t.tCCD_S, "tCCD_S"},
      {Scope::BankGroup, RD, RD, t.tCCD_L, "tCCD_L"},
      {Scope::BankGroup, WR, WR, t.tCCD_L, "tCCD_L"},
      {Scope::Rank, RD, WR, t.tRTW, "tRTW"},
      {Scope::Rank, WR, RD, t.CWL + bl + t.tWTR_S, "CWL+BL/2+tWTR_S"},
      {Scope::BankGroup, WR, RD, t.CWL + bl + t.tWTR_L, "CWL+BL/2+tWTR_L"},
      // Rank-to-rank switching on the shared data bus.
      {Scope::Rank, RD, RD, bl + t.tRTRS, "BL/2+tRTRS", 1, true},
      {Scope::Rank, WR, WR, bl + t.tRTRS, "BL/2+tRTRS", 1, true},
      {Scope::Rank, RD, WR, t.tRTW + t.tRTRS, "tRTW+tRTRS", 1, true},
      {Scope::Rank, WR, RD, t.CWL + bl + t.tRTRS - t.CL, "CWL+BL/2+tRTRS-CL", 1, true},
      // Activation.
      {Scope::Rank, {C::ACT}, {C::ACT}, t.tRRD_S, "tRRD_S"},
      {Scope::BankGroup, {C::ACT}, {C::ACT}, t.tRRD_L, "tRRD_L"},
      {Scope::Rank, {C::ACT}, {C::ACT}, t.tFAW, "tFAW", 4},
      {Scope::Bank, {C::ACT}, {C::ACT}, t.tRC, "tRC"},
      {Scope::Bank, {C::ACT}, COL, t.tRCD, "tRCD"},
      {Scope::Bank, {C::ACT}, {C::PRE}, t.tRAS, "tRAS"},
      {Scope::Rank, {C::ACT}, {C::PREA}, t.tRAS, "tRAS"},
      // Precharge.
      {Scope::Bank, {C::PRE}, {C::ACT}, t.tRP, "tRP"},
      {Scope::Rank, {C::PREA}, {C::ACT}, t.tRP, "tRP"},
      {Scope::Bank, {C::RD}, {C::PRE}, t.tRTP, "tRTP"},
      {Scope::Rank, {C::RD}, {C::PREA}, t.tRTP, "tRTP"},
      {Scope::Bank, {C::WR}, {C::PRE}, wrToPre, "CWL+BL/2+tWR"},
      {Scope::Rank, {C::WR}, {C::PREA}, wrToPre, "CWL+BL/2+tWR"},
      {Scope::Bank, {C::RDA}, {C::ACT}, t.tRTP + t.tRP, "tRTP+tRP"},
      {Scope::Bank, {C::WRA}, {C::ACT}, wrToPre + t.tRP, "CWL+BL/2+tWR+tRP"},
      // All-bank refresh: every bank precharged, then tRFC before anything.
      {Scope::Rank, {C::ACT}, {C::REFab}, t.tRC, "tRC"},
      {Scope::Rank, {C::PRE, C::PREA}, {C::REFab}, t.tRP, "tRP"},
      {Scope::Rank, {C::RDA}, {C::REFab}, t.tRTP + t.tRP, "tRTP+tRP"},
      {Scope::Rank, {C::WRA}, {C::REFab}, wrToPre + t.tRP, "CWL+BL/2+tWR+tRP"},
      {Scope::Rank, {C::REFab}, {C::ACT, C::REFab, C::REFpb}, t.tRFC, "tRFC"},
      // Per-bank refresh (HBM REFSB, LPDDR4 REFpb).
      {Scope::Bank, {C::ACT}, {C::REFpb}, t.tRC, "tRC"},
      {Scope::Bank, {C::PRE}, {C::REFpb}, t.tRP, "tRP"},
      {Scope::Rank, {C::PREA}, {C::REFpb}, t.tRP, "tRP"},
      {Scope::Bank, {C::RDA}, {C::REFpb}, t.tRTP + t.tRP, "tRTP+tRP"},
      {Scope::Bank, {C::WRA}, {C::REFpb}, wrToPre + t.tRP, "CWL+BL/2+tWR+tRP"},
      {Scope::Bank, {C::REFpb}, {C::ACT}, t.tRFCpb, "tRFCpb"},
      {Scope::Rank, {C::REFpb}, {C::ACT, C::REFpb}, t.tRREFD, "tRREFD"},
      {Scope::Rank, {C::REFpb}, {C::REFab}, t.tRFCpb, "tRFCpb"},
  };
  const bool multiRank = spec.org.ranks > 1;
  const bool multiGroup = spec.org.bankGroups > 1;
  std::vector<TimingConstraint> table;
  for (const Row& r : rows) {
    if (r.latency <= 0) continue;  // not applicable to this preset (e.g. no per-bank refresh)
    if (r.sibling && !multiRank) continue;
    // Without bank groups the _L rows equal the _S rows of the same rank.
    if (r.scope == Scope::BankGroup && !multiGroup) continue;
    for (Command from : r.from) {
      for (Command to : r.to) {
        table.push_back({r.scope, from, to, r.latency, r.window, r.sibling, r.name});
      }
    }
  }
  return table;
}

}  // namespace specmamba::dram
