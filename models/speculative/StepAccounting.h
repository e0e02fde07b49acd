#pragma once
// Traffic and compute of one speculative step, from the tree shape, the
// layer footprint and the backtracking plan alone. The functional tree model
// and the statistical (timing-only) mode both charge their ledgers here, so
// the two can never disagree on what a step moves.
#include <vector>

#include "models/speculative/Backtrack.h"
#include "models/speculative/TokenTree.h"
#include "models/speculative/Traffic.h"

namespace specmamba {

struct TreeOptions {
  int tileHeads = 0;           // heads per SSM state tile; 0 = all heads (no tiling)
  int weightBits = 4;          // accounting: W4A4 (4) or W8A8 (8)
  int tokenParallel = 0;       // TP: nodes sharing one weight pass; 0 = all nodes
  int64_t fifoBytes = 2 << 20; // on-chip FIFO capacity; a larger tile set spills to DRAM
};

class StepAccounting {
 public:
  StepAccounting(const ModelConfig& model, const TokenTree& tree, const TreeOptions& options,
                 std::vector<LayerPlan> plan);
  // With the sizes of a concrete memory layout (the platform's MemoryMap)
  // instead of LayerFootprint::of.
  StepAccounting(const ModelConfig& model, const LayerFootprint& footprint, const TokenTree& tree,
                 const TreeOptions& options, std::vector<LayerPlan> plan);

  const LayerFootprint& footprint() const { return f_; }
  const std::vector<LayerPlan>& plan() const { return plan_; }
  int tileHeads() const { return tile_; }
  int64_t tileBytes() const { return f_.ssmStateBytes * tile_ / nHeads_; }
  bool fifoSpills() const { return int64_t(tree_.fifoDepth()) * tileBytes() > options_.fifoBytes; }

  // Linear layers of `nodes` tokens through one layer (TP-tiled weight passes).
  void chargeLinear(int nodes, Ledger& ledger) const;
  // The target's whole tree pass (every layer).
  void chargeVerify(Ledger& ledger) const;
  // The draft's level-by-level expansion (nodes with children only).
  void chargeDraft(Ledger& ledger) const;
  // Commit of an accepted path: `processed` nodes rebuilt from the pass's
  // caches, then `decoded` nodes (draft leaves) decoded one by one.
  void chargeCommit(int processed, int decoded, Ledger& ledger) const;

 private:
  // One layer of `nodes` tokens: conv, SSM updates, and what backtracking keeps.
  void chargeNodes(int layer, int nodes, Ledger& ledger) const;

  LayerFootprint f_;
  TokenTree tree_;
  TreeOptions options_;
  std::vector<LayerPlan> plan_;
  int nLayer_;
  int nHeads_;
  int convMacsPerNode_;
  int tile_;
};

}  // namespace specmamba
