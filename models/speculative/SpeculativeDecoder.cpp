#include "models/speculative/SpeculativeDecoder.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba {

double SpeculativeResult::meanAcceptedPerPass() const {
  if (steps.empty()) return 0.0;
  size_t emitted = 0;
  for (const auto& s : steps) emitted += s.emitted.size();
  return double(emitted) / double(steps.size());
}

std::vector<int> SpeculativeResult::acceptedLengths() const {
  std::vector<int> out;
  for (const auto& s : steps) out.push_back(s.accepted);
  return out;
}

std::vector<int> acceptGreedy(const TokenTree& tree, const std::vector<int>& tokens,
                              const Matrix& targetLogits, int& bonus) {
  std::vector<int> path{0};
  while (true) {
    const int v = path.back();
    const int want = argmax(targetLogits.row(v), targetLogits.cols);
    int next = -1;
    for (int child : tree.children(v)) {
      if (tokens[size_t(child)] == want) {
        next = child;
        break;
      }
    }
    if (next < 0) {
      bonus = want;
      return path;
    }
    path.push_back(next);
  }
}

SpeculativeDecoder::SpeculativeDecoder(const Fp32TreeModel& draft, const Fp32TreeModel& target)
    : draft_(draft), target_(target) {
  if (draft.model().config().vocabSize != target.model().config().vocabSize) {
    throw Error(fmt::format("draft {} and target {} must share a vocabulary ({} vs {} tokens)",
                            draft.model().config().name, target.model().config().name,
                            draft.model().config().vocabSize, target.model().config().vocabSize));
  }
  if (draft.tree().parents() != target.tree().parents()) {
    throw Error("draft and target must use the same token tree");
  }
}

namespace {

// Both models consume prompt[0..n-2]; the last prompt token becomes the root.
void consumePromptHead(const Mamba2Fp32& m, const std::vector<int>& prompt, Mamba2State& s) {
  if (prompt.size() < 2) return;
  std::vector<float> logits(static_cast<size_t>(m.config().vocabSize));
  m.prefill(std::vector<int>(prompt.begin(), prompt.end() - 1), s, logits.data());
}

}  // namespace

SpeculativeResult SpeculativeDecoder::generate(const std::vector<int>& prompt, int count) const {
  if (prompt.empty()) throw Error("speculative decoding needs a non-empty prompt");
  SpeculativeResult result;
  Mamba2State draftState = draft_.model().initialState();
  Mamba2State targetState = target_.model().initialState();
  consumePromptHead(draft_.model(), prompt, draftState);
  consumePromptHead(target_.model(), prompt, targetState);
  int root = prompt.back();
  while (int(result.tokens.size()) < count) {
    StepRecord step;
    TreePass drafted = draft_.draft(root, draftState, step.draft);
    TreePass verified = target_.verify(drafted.tokens, targetState, step.target);
    result.fifoHighWater = std::max(result.fifoHighWater, verified.fifoHighWater);
    int bonus = -1;
    const std::vector<int> path = acceptGreedy(target_.tree(), drafted.tokens, verified.logits, bonus);
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
  }
  return result;
}

SpeculativeResult simulateAcceptance(const TokenTree& tree, const StepAccounting& draft,
                                     const StepAccounting& target, AcceptanceSource& source,
                                     int count) {
  SpeculativeResult result;
  while (result.generated < count) {
    StepRecord step;
    draft.chargeDraft(step.draft);
    target.chargeVerify(step.target);
    const int k = source.next(tree.maxDepth());
    std::vector<int> path{0};
    while (int(path.size()) <= k) {
      const auto& kids = tree.children(path.back());
      if (kids.empty()) {
        throw Error(fmt::format("accepted length {} runs past a leaf of the tree", k));
      }
      path.push_back(kids.front());
    }
    // The draft ran only nodes with children; a leaf at the end is decoded on commit.
    const bool leaf = tree.children(path.back()).empty();
    target.chargeCommit(int(path.size()), 0, step.target);
    draft.chargeCommit(int(path.size()) - leaf, leaf, step.draft);
    step.accepted = k;
    step.emitted.assign(size_t(k + 1), -1);
    result.generated = std::min(count, result.generated + k + 1);
    result.draftTotal += step.draft;
    result.targetTotal += step.target;
    result.steps.push_back(std::move(step));
  }
  return result;
}

std::vector<int> targetOnlyGreedy(const Mamba2Fp32& target, const std::vector<int>& prompt,
                                  int count) {
  Mamba2State s = target.initialState();
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
