#include "models/speculative/Backtrack.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "models/common/Error.h"

namespace specmamba {

// A layer's step time is bounded by its DRAM stream and by the SSM unit
// (SPEC §4: the SSMU runs under the in_proj shadow, so the two overlap).
// Both strategies stream the weights and read the committed state once.
namespace {
double baseBytes(const LayerFootprint& f) { return double(f.weightBytes + f.stateBytes()); }
}  // namespace

double storeCost(const LayerFootprint& f, int nodes, bool onChip, const BacktrackBudget& b) {
  // Every node's state is written (on chip: free); the accepted one becomes
  // the next committed state.
  const double bytes = baseBytes(f) + (onChip ? 0.0 : double(nodes) * double(f.stateBytes()));
  const double ssm = double(nodes) * double(f.ssmElements);
  return std::max(bytes / b.dramBytesPerSecond, ssm / b.ssmUpdatesPerSecond);
}

double replayCost(const LayerFootprint& f, int nodes, const BacktrackBudget& b) {
  // Inputs of every node written, those of the accepted path (root +
  // accepted) read back, the rebuilt state written once; the SSM unit redoes
  // the accepted path's updates.
  const double path = 1.0 + b.expectedAccepted;
  const double bytes = baseBytes(f) + double(nodes) * double(f.cachedInputBytes()) +
                       path * double(f.cachedInputBytes()) + double(f.stateBytes());
  const double ssm = (double(nodes) + path) * double(f.ssmElements);
  return std::max(bytes / b.dramBytesPerSecond, ssm / b.ssmUpdatesPerSecond);
}

namespace {

// Fills the on-chip budget layer by layer with node states.
std::vector<LayerPlan> storePlan(const ModelConfig& m, const LayerFootprint& f, int nodes,
                                 const BacktrackBudget& b) {
  std::vector<LayerPlan> plan(size_t(m.nLayer), LayerPlan{BacktrackMode::Store, false});
  int64_t left = b.onChipBytes;
  const int64_t need = int64_t(nodes) * f.stateBytes();
  for (auto& p : plan) {
    if (need <= left) {
      p.onChip = true;
      left -= need;
    }
  }
  return plan;
}

}  // namespace

std::vector<LayerPlan> StoreBacktrack::plan(const ModelConfig& m, int weightBits, int nodes,
                                            const BacktrackBudget& b) const {
  return storePlan(m, LayerFootprint::of(m, weightBits), nodes, b);
}

std::vector<LayerPlan> ReplayBacktrack::plan(const ModelConfig& m, int, int,
                                             const BacktrackBudget&) const {
  return std::vector<LayerPlan>(size_t(m.nLayer), LayerPlan{BacktrackMode::Replay, false});
}

std::vector<LayerPlan> HybridBacktrack::plan(const ModelConfig& m, int weightBits, int nodes,
                                             const BacktrackBudget& b) const {
  const LayerFootprint f = LayerFootprint::of(m, weightBits);
  std::vector<LayerPlan> plan = storePlan(m, f, nodes, b);
  for (auto& p : plan) {
    if (storeCost(f, nodes, p.onChip, b) > replayCost(f, nodes, b)) {
      p = LayerPlan{BacktrackMode::Replay, false};
    }
  }
  return plan;
}

int countMode(const std::vector<LayerPlan>& plan, BacktrackMode m) {
  int n = 0;
  for (const auto& p : plan) n += p.mode == m;
  return n;
}

nlohmann::ordered_json planJson(const std::vector<LayerPlan>& plan) {
  nlohmann::ordered_json j;
  j["store_layers"] = countMode(plan, BacktrackMode::Store);
  j["replay_layers"] = countMode(plan, BacktrackMode::Replay);
  int onChip = 0;
  for (const auto& p : plan) onChip += p.onChip;
  j["store_onchip_layers"] = onChip;
  return j;
}

PairPlan planPair(const BacktrackPolicy& policy, const ModelConfig& draft,
                  const ModelConfig& target, int weightBits, int nodes,
                  const BacktrackBudget& budget) {
  PairPlan p;
  p.draft = policy.plan(draft, weightBits, nodes, budget);
  BacktrackBudget left = budget;
  for (const auto& l : p.draft) {
    if (l.onChip) left.onChipBytes -= nodes * LayerFootprint::of(draft, weightBits).stateBytes();
  }
  p.target = policy.plan(target, weightBits, nodes, left);
  return p;
}

std::vector<std::string> backtrackPolicyNames() { return {"store", "replay", "hybrid"}; }

std::unique_ptr<BacktrackPolicy> makeBacktrackPolicy(const std::string& name) {
  if (name == "store") return std::make_unique<StoreBacktrack>();
  if (name == "replay") return std::make_unique<ReplayBacktrack>();
  if (name == "hybrid") return std::make_unique<HybridBacktrack>();
  throw Error(fmt::format("unknown backtracking strategy \"{}\" (known: {})", name,
                          fmt::join(backtrackPolicyNames(), ", ")));
}

}  // namespace specmamba
