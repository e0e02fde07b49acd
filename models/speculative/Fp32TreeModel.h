#pragma once
// One model (draft or target) of speculative decoding on the FP32 golden
// model: drafting a token tree, verifying a whole tree in one pass, and
// committing the accepted path with the planned backtracking strategy.
//
// Verification (SPEC §5, "linear in parallel, SSM in series"): per layer the
// pre-norm + in_proj and the gate + norm + out_proj run batched over every
// node (one weight pass per TP tile of nodes); the conv of each node reads its
// ancestors' inputs; the SSM walks the nodes one by one in BFS order, head
// tile by head tile, each child reading its parent's state tile from a
// bounded FIFO (StateFifo). Everything is bitwise equal to decoding the same
// tokens one by one with Mamba2Fp32::decode.
#include <vector>

#include "models/common/Matrix.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/speculative/Backtrack.h"
#include "models/speculative/StepAccounting.h"
#include "models/speculative/TokenTree.h"
#include "models/speculative/Traffic.h"

namespace specmamba {

// What one pass kept of one layer for backtracking and the conv windows.
struct LayerCache {
  Matrix rawXbc;  // [nodes, conv_dim] conv inputs (every mode: conv windows follow the path)
  Matrix xbc;     // [nodes, conv_dim] SSM inputs x|B|C after conv (replay)
  Matrix dtRaw;   // [nodes, heads] (replay)
  std::vector<std::vector<float>> ssmAfter;  // per node post-state (store)
};

struct TreePass {
  std::vector<int> tokens;      // per node
  std::vector<bool> processed;  // node went through the model
  Matrix logits;                // [nodes, vocab] (rows of processed nodes)
  std::vector<LayerCache> layers;
  int fifoHighWater = 0;
};

class Fp32TreeModel {
 public:
  Fp32TreeModel(const Mamba2Fp32& model, const TokenTree& tree, const TreeOptions& options,
                std::vector<LayerPlan> plan);

  const TokenTree& tree() const { return tree_; }
  const std::vector<LayerPlan>& plan() const { return accounting_.plan(); }
  const StepAccounting& accounting() const { return accounting_; }
  const Mamba2Fp32& model() const { return model_; }

  // Target: all nodes in one pass; tokens[i] is node i's token.
  TreePass verify(const std::vector<int>& tokens, const Mamba2State& committed,
                  Ledger& ledger) const;
  // Draft: expands the tree level by level from `rootToken`, each node's
  // children being its top-k tokens (k = its number of children), highest first.
  TreePass draft(int rootToken, const Mamba2State& committed, Ledger& ledger) const;
  // Rebuilds `committed` (the state the pass started from) as the state after
  // the accepted path root..ck. A path node the pass did not process (a draft
  // leaf) is decoded on top.
  void commit(const TreePass& pass, const std::vector<int>& path, Mamba2State& committed,
              Ledger& ledger) const;

 private:
  // Runs `nodes` (one BFS level, or the whole tree) through layer `l`; parent
  // states come from the FIFO walk (post == nullptr) or from `post`.
  void runLayer(int l, const std::vector<int>& nodes, Matrix& residual, const LayerState& committed,
                TreePass& pass, std::vector<std::vector<float>>* post) const;
  std::vector<float> windowBefore(int l, int node, const TreePass& pass,
                                  const LayerState& committed) const;

  const Mamba2Fp32& model_;
  TokenTree tree_;
  StepAccounting accounting_;
  int tile_;
};

// Top-k token ids of `logits`, highest first, ties to the lower id.
std::vector<int> topK(const float* logits, int vocab, int k);

}  // namespace specmamba
