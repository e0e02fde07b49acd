#pragma once
// Timing constraints as data: {scope, from-command, to-command, latency}
// (Ramulator 2 style). "to at time t is legal only if t >= (from's issue time)
// + latency" for any two commands whose addresses share the scope node
// (same channel / rank / bank group / bank). `window` > 1 turns a row into a
// rolling-window constraint (tFAW: the 4th-previous ACT). `sibling` rows hold
// between different ranks of the same channel only (rank-to-rank switching).
#include <string>
#include <vector>

#include "sim/memory/DramSpec.h"
#include "sim/memory/DramTypes.h"

namespace specmamba::dram {

struct TimingConstraint {
  Scope scope = Scope::Bank;
  Command from = Command::ACT;
  Command to = Command::ACT;
  int latency = 0;
  int window = 1;
  bool sibling = false;
  std::string name;  // "tRCD", "tCCD_L", "CWL+BL/2+tWR", ... (what a violation reports)
};

// Every constraint of the preset, one row per (from, to) pair.
std::vector<TimingConstraint> buildTimingTable(const DramSpec& spec);

}  // namespace specmamba::dram
