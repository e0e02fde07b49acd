#pragma once
// SpecMamba's decode loop (SPEC §5) on the golden models (FP32 or integer): the draft
// expands a static token tree, the target verifies all of it in one pass,
// the longest root path whose tokens equal the target's argmax is accepted
// plus the target's bonus token, and both models roll their states back to
// the last accepted node. Greedy acceptance is lossless: the output equals
// target-only greedy decoding.
#include <functional>
#include <memory>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/speculative/AcceptanceModel.h"
#include "models/common/Error.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/speculative/TreeModel.h"

namespace specmamba {

struct StepRecord {
  int accepted = 0;  // draft tokens accepted (0..depth); each step also emits a bonus token
  std::vector<int> emitted;
  Ledger draft;
  Ledger target;
};

struct SpeculativeResult {
  std::vector<int> tokens;  // generated tokens (exactly the requested count; empty if statistical)
  int generated = 0;
  std::vector<StepRecord> steps;
  Ledger draftTotal;
  Ledger targetTotal;
  int fifoHighWater = 0;
  double meanAcceptedPerPass() const;  // tokens emitted per target pass
  std::vector<int> acceptedLengths() const;
};

// Greedy acceptance: nodes root..ck of the longest path whose every token is
// the target's argmax at its parent; returns that path and the bonus token.
std::vector<int> acceptGreedy(const TokenTree& tree, const std::vector<int>& tokens,
                              const Matrix& targetLogits, int& bonus);

// Both models consume prompt[0..n-2]; the last prompt token becomes the root.
template <class Model, class State>
void consumePromptHead(const Model& m, const std::vector<int>& prompt, State& s) {
  if (prompt.size() < 2) return;
  std::vector<float> logits(static_cast<size_t>(m.config().vocabSize));
  m.prefill(std::vector<int>(prompt.begin(), prompt.end() - 1), s, logits.data());
}

void checkPair(const ModelConfig& draft, const ModelConfig& target, const TokenTree& draftTree,
               const TokenTree& targetTree);

template <class Backend>
class SpeculativeDecoder {
 public:
  SpeculativeDecoder(const TreeModel<Backend>& draft, const TreeModel<Backend>& target)
      : draft_(draft), target_(target) {
    checkPair(draft.backend().config(), target.backend().config(), draft.tree(), target.tree());
  }

  // Consumes `prompt` (non-empty) and generates `count` tokens; `onStep`
  // (optional) gets the number generated so far after every step.
  SpeculativeResult generate(const std::vector<int>& prompt, int count,
                             const std::function<void(int)>& onStep = nullptr) const {
    if (prompt.empty()) throw Error("speculative decoding needs a non-empty prompt");
    SpeculativeResult result;
    auto draftState = draft_.backend().initialState();
    auto targetState = target_.backend().initialState();
    consumePromptHead(draft_.backend().model(), prompt, draftState);
    consumePromptHead(target_.backend().model(), prompt, targetState);
    int root = prompt.back();
    while (int(result.tokens.size()) < count) {
      StepRecord step;
      const auto drafted = draft_.draft(root, draftState, step.draft);
      const auto verified = target_.verify(drafted.tokens, targetState, step.target);
      result.fifoHighWater = std::max(result.fifoHighWater, verified.fifoHighWater);
      int bonus = -1;
      const std::vector<int> path =
          acceptGreedy(target_.tree(), drafted.tokens, verified.logits, bonus);
      step.accepted = int(path.size()) - 1;
      for (size_t i = 1; i < path.size(); ++i) step.emitted.push_back(drafted.tokens[size_t(path[i])]);
      step.emitted.push_back(bonus);
      target_.commit(verified, path, targetState, step.target);
      draft_.commit(drafted, path, draftState, step.draft);
      root = bonus;
      for (int t : step.emitted) {
        if (int(result.tokens.size()) < count) result.tokens.push_back(t);
      }
      result.generated = int(result.tokens.size());
      result.draftTotal += step.draft;
      result.targetTotal += step.target;
      result.steps.push_back(std::move(step));
      if (onStep) onStep(result.generated);
    }
    return result;
  }

 private:
  const TreeModel<Backend>& draft_;
  const TreeModel<Backend>& target_;
};

// Statistical mode: no model runs; each step's accepted length comes from
// `source` and the traffic from the accounting alone. The accepted path
// follows each node's first child.
SpeculativeResult simulateAcceptance(const TokenTree& tree, const StepAccounting& draft,
                                     const StepAccounting& target, AcceptanceSource& source,
                                     int count);

// Target-only greedy decoding on the same recurrent path (the lossless
// reference): prompt[0..n-2] prefilled, then one token at a time.
template <class Model>
std::vector<int> targetOnlyGreedy(const Model& target, const std::vector<int>& prompt, int count) {
  auto s = target.initialState();
  consumePromptHead(target, prompt, s);
  std::vector<float> logits(static_cast<size_t>(target.config().vocabSize));
  std::vector<int> out;
  int token = prompt.back();
  while (int(out.size()) < count) {
    target.decode(token, s, logits.data());
    token = argmax(logits.data(), target.config().vocabSize);
    out.push_back(token);
  }
  return out;
}

}  // namespace specmamba
