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

void checkPair(const ModelConfig& draft, const ModelConfig& target, const TokenTree& draftTree,
               const TokenTree& targetTree) {
  if (draft.vocabSize != target.vocabSize) {
    throw Error(fmt::format("draft {} and target {} must share a vocabulary ({} vs {} tokens)",
                            draft.name, target.name, draft.vocabSize, target.vocabSize));
  }
  if (draftTree.parents() != targetTree.parents()) {
    throw Error("draft and target must use the same token tree");
  }
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

}  // namespace specmamba
