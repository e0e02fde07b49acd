#include "models/speculative/StepAccounting.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba {

StepAccounting::StepAccounting(const ModelConfig& c, const TokenTree& tree,
                               const TreeOptions& options, std::vector<LayerPlan> plan)
    : StepAccounting(c, LayerFootprint::of(c, options.weightBits), tree, options,
                     std::move(plan)) {}

StepAccounting::StepAccounting(const ModelConfig& c, const LayerFootprint& footprint,
                               const TokenTree& tree, const TreeOptions& options,
                               std::vector<LayerPlan> plan)
    : f_(footprint),
      tree_(tree),
      options_(options),
      plan_(std::move(plan)),
      nLayer_(c.nLayer),
      nHeads_(c.nHeads),
      convMacsPerNode_(c.convDim() * c.dConv) {
  tile_ = options.tileHeads == 0 ? c.nHeads : options.tileHeads;
  if (tile_ < 1 || tile_ > c.nHeads || c.nHeads % tile_ != 0) {
    throw Error(fmt::format("--tile-heads: must divide the {} heads of {}, got {}", c.nHeads,
                            c.name, options.tileHeads));
  }
  if (options.weightBits != 4 && options.weightBits != 8) {
    throw Error(fmt::format("weight bits must be 4 or 8, got {}", options.weightBits));
  }
  if (options.tokenParallel < 0) {
    throw Error(fmt::format("--tp: must be >= 0 (0 = all nodes), got {}", options.tokenParallel));
  }
  if (int(plan_.size()) != c.nLayer) {
    throw Error(fmt::format("backtracking plan has {} layers, model {} has {}", plan_.size(),
                            c.name, c.nLayer));
  }
}

void StepAccounting::chargeLinear(int nodes, Ledger& ledger) const {
  const int tp = options_.tokenParallel == 0 ? nodes : options_.tokenParallel;
  const int passes = (nodes + tp - 1) / tp;
  ledger.add(Compute::WeightPasses, passes);
  ledger.add(Traffic::Weights, passes * f_.weightBytes);
  ledger.add(Compute::MmuMacs, int64_t(nodes) * f_.linearMacs);
}

void StepAccounting::chargeNodes(int layer, int nodes, Ledger& ledger) const {
  chargeLinear(nodes, ledger);
  ledger.add(Compute::ConvMacs, int64_t(nodes) * convMacsPerNode_);
  ledger.add(Compute::SsmUpdates, int64_t(nodes) * f_.ssmElements);
  ledger.add(Compute::NodesProcessed, nodes);
  const LayerPlan& p = plan_[size_t(layer)];
  if (p.mode == BacktrackMode::Store) {
    ledger.add(p.onChip ? Traffic::NodeStateStoreOnChip : Traffic::NodeStateStore,
               int64_t(nodes) * f_.stateBytes());
  } else {
    ledger.add(Traffic::CachedInputsWrite, int64_t(nodes) * f_.cachedInputBytes());
  }
}

void StepAccounting::chargeVerify(Ledger& ledger) const {
  int parents = 0;
  for (int v = 0; v < tree_.size(); ++v) parents += !tree_.children(v).empty();
  // Per tile: every node with children pushes its tile, every non-root node
  // reads its parent's.
  const int64_t tiles = nHeads_ / tile_;
  const int64_t fifo = tiles * int64_t(parents + tree_.size() - 1) * tileBytes();
  for (int l = 0; l < nLayer_; ++l) {
    ledger.add(Traffic::CommittedStateRead, f_.stateBytes());
    chargeNodes(l, tree_.size(), ledger);
    ledger.add(fifoSpills() ? Traffic::FifoSpill : Traffic::FifoOnChip, fifo);
  }
}

void StepAccounting::chargeDraft(Ledger& ledger) const {
  for (int d = 0; d < tree_.maxDepth(); ++d) {
    int level = 0;
    for (int v = 0; v < tree_.size(); ++v) {
      level += tree_.depth(v) == d && !tree_.children(v).empty();
    }
    for (int l = 0; l < nLayer_; ++l) {
      if (d == 0) ledger.add(Traffic::CommittedStateRead, f_.stateBytes());
      chargeNodes(l, level, ledger);
      // Each node reads its parent's whole state (but the root) and keeps its own for its children.
      ledger.add(Traffic::FifoOnChip, int64_t(2 * level - (d == 0)) * f_.ssmStateBytes);
    }
  }
}

void StepAccounting::chargeCommit(int processed, int decoded, Ledger& ledger) const {
  for (int l = 0; l < nLayer_; ++l) {
    const LayerPlan& p = plan_[size_t(l)];
    if (processed > 0) {
      if (p.mode == BacktrackMode::Store) {
        // A state kept on chip must reach DRAM; one stored in DRAM just becomes the committed one.
        if (p.onChip) ledger.add(Traffic::CommittedStateWrite, f_.stateBytes());
      } else {
        ledger.add(Traffic::CachedInputsRead, int64_t(processed) * f_.cachedInputBytes());
        ledger.add(Compute::SsmReplayUpdates, int64_t(processed) * f_.ssmElements);
        ledger.add(Traffic::CommittedStateWrite, f_.stateBytes());
      }
    }
    for (int i = 0; i < decoded; ++i) {
      chargeLinear(1, ledger);
      ledger.add(Traffic::CommittedStateRead, f_.stateBytes());
      ledger.add(Traffic::CommittedStateWrite, f_.stateBytes());
      ledger.add(Compute::SsmUpdates, f_.ssmElements);
      ledger.add(Compute::NodesProcessed, 1);
    }
  }
}

}  // namespace specmamba
