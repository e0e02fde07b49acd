#pragma once
// SpecMamba on the platform (SPEC §5): the speculative-decoding scheduler
// drives two Sequencers — the draft's and the target's, on one accelerator
// (they never run at once) and one DRAM (one StreamPort, the draft's map
// above the target's) — step by step:
//   1. draft: the tree level by level, one pass per depth over the nodes
//      with children (linear layers batched over the level, groups of TP);
//      the host's LM head picks each node's top-k children;
//   2. verify: the target runs every node in one pass: per layer, groups of
//      TP nodes share one weight stream; the SSM walks the nodes in BFS order
//      head tile by head tile, parents' tiles from the on-chip FIFO (spilled
//      through DRAM when the tree's tiles do not fit);
//   3. host: LM heads of all nodes, greedy acceptance (functional) or the
//      accepted length from a profile / trace (timing-only);
//   4. commit: per layer as the backtracking plan says (store: the accepted
//      node's state; replay: the cached inputs along the path through the
//      SSMU), and the draft decodes an accepted leaf it never ran.
// Every DRAM byte goes through the StreamPort as a tagged segment; the run
// also charges models/speculative/StepAccounting so the two can be compared.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/int/Mamba2Int.h"
#include "models/speculative/Backtrack.h"
#include "models/speculative/Traffic.h"
#include "sim/platform/Experiment.h"
#include "sim/platform/RunResult.h"

namespace specmamba::platform {

struct SpeculativeRunResult {
  std::vector<int> tokens;    // functional: generated tokens (exactly e.tokens)
  std::vector<int> accepted;  // per step: accepted draft tokens (0..depth)
  int steps = 0;
  int generated = 0;
  // Accelerator cycles summed over the steps, by phase; host seconds.
  Cycle draftCycles = 0, verifyCycles = 0, commitCycles = 0;
  double hostSeconds = 0;
  WindowActivity activity;  // both models' units over the steps
  Ledger measured;          // as the platform moved it, steps only
  Ledger predicted;         // StepAccounting for the same steps
  uint64_t portDramBytes = 0;   // every byte the steps moved through the port (whole beats)
  std::vector<LayerPlan> targetPlan, draftPlan;
  bool fifoSpills = false;
  int64_t fifoBytes = 0;       // on-chip FIFO occupancy at its high water (tiles x tile bytes)
  int64_t tileBytes = 0;
  // The draft's whole parent states kept from one level to the next (every
  // layer), counted on chip as StepAccounting does.
  int64_t draftLevelStateBytes = 0;
  // The same target decoding without speculation: one plain decode pass
  // simulated in this run (same reuse rule as a plain run).
  Cycle baselineCyclesPerToken = 0;
  double baselineHostSeconds = 0;
  std::string acceptanceSource;
  StreamPortStats port;
};

// `target` / `draft`: the golden models of a functional run (null: timing-only).
SpeculativeRunResult runSpeculative(const Experiment& e, const Mamba2Int* target,
                                    const Mamba2Int* draft,
                                    const std::function<void(int, int)>& onStep = nullptr);

}  // namespace specmamba::platform
