#pragma once
// Hidden-state backtracking (SPEC §5): acceptance is known only after the
// last layer, so every layer must be able to restore the state of the last
// accepted node.
//  * store:  keep every node's state (per layer); commit = pick the accepted one.
//  * replay: keep the small per-node SSM/conv inputs; commit = rerun the
//            recurrence along the accepted path from the committed state.
//  * hybrid: per model and per layer, whichever the cost model finds cheaper
//            (node states on chip while they fit, else store vs replay by time).
// A policy only plans; the tree model carries the plan out.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/config/ModelConfig.h"
#include "models/speculative/Traffic.h"

namespace specmamba {

enum class BacktrackMode { Store, Replay };

struct LayerPlan {
  BacktrackMode mode = BacktrackMode::Replay;
  bool onChip = false;  // store: node states kept on chip (no DRAM traffic)
};

// What the cost model knows of the platform. Defaults: VCK190-like (SPEC §6).
struct BacktrackBudget {
  int64_t onChipBytes = 8ll << 20;       // on-chip memory free for node states [ours]
  double dramBytesPerSecond = 25.6e9;     // peak DRAM bandwidth
  double ssmUpdatesPerSecond = 8 * 400e6; // PP=8 lanes at 400 MHz
  double expectedAccepted = 2.0;          // mean accepted draft tokens per step
};

// Time in seconds of one step of one layer under each strategy: the larger
// of its DRAM time and its SSM-unit time (the cost model of docs/speculative.md).
double storeCost(const LayerFootprint& f, int nodes, bool onChip, const BacktrackBudget& b);
double replayCost(const LayerFootprint& f, int nodes, const BacktrackBudget& b);

class BacktrackPolicy {
 public:
  virtual ~BacktrackPolicy() = default;
  virtual std::string name() const = 0;
  // One plan per layer for a model whose steps hold `nodes` node states.
  virtual std::vector<LayerPlan> plan(const ModelConfig& model, int weightBits, int nodes,
                                      const BacktrackBudget& budget) const = 0;
};

class StoreBacktrack final : public BacktrackPolicy {
 public:
  std::string name() const override { return "store"; }
  std::vector<LayerPlan> plan(const ModelConfig& model, int weightBits, int nodes,
                              const BacktrackBudget& budget) const override;
};

class ReplayBacktrack final : public BacktrackPolicy {
 public:
  std::string name() const override { return "replay"; }
  std::vector<LayerPlan> plan(const ModelConfig& model, int weightBits, int nodes,
                              const BacktrackBudget& budget) const override;
};

class HybridBacktrack final : public BacktrackPolicy {
 public:
  std::string name() const override { return "hybrid"; }
  std::vector<LayerPlan> plan(const ModelConfig& model, int weightBits, int nodes,
                              const BacktrackBudget& budget) const override;
};

// Layers per strategy: {"store_layers", "replay_layers", "store_onchip_layers"}.
int countMode(const std::vector<LayerPlan>& plan, BacktrackMode m);
nlohmann::ordered_json planJson(const std::vector<LayerPlan>& plan);

// Both models of a pair share the on-chip memory: the draft (smaller
// states) plans first, the target gets what it left.
struct PairPlan {
  std::vector<LayerPlan> draft, target;
};
PairPlan planPair(const BacktrackPolicy& policy, const ModelConfig& draft,
                  const ModelConfig& target, int weightBits, int nodes,
                  const BacktrackBudget& budget);

// The registry: "store", "replay", "hybrid"; an unknown name lists them.
std::unique_ptr<BacktrackPolicy> makeBacktrackPolicy(const std::string& name);
std::vector<std::string> backtrackPolicyNames();

}  // namespace specmamba
