#pragma once
// Greedy continuation shared by the golden models (FP32 and integer): prefill
// the prompt, then `count` argmax tokens (the first maximum on ties).
#include <algorithm>
#include <functional>
#include <vector>

namespace specmamba {

// `onToken(i)` (optional) is called after the i-th token, for progress lines.
template <typename Model, typename State>
std::vector<int> greedyContinuation(const Model& model, const std::vector<int>& prompt, int count,
                                    State& state,
                                    const std::function<void(int)>& onToken = nullptr) {
  std::vector<float> logits(size_t(model.config().vocabSize));
  model.prefill(prompt, state, logits.data());
  std::vector<int> out;
  out.reserve(size_t(count));
  for (int i = 0; i < count; ++i) {
    const int next = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
    out.push_back(next);
    if (i + 1 < count) model.decode(next, state, logits.data());
    if (onToken) onToken(i + 1);
  }
  return out;
}

}  // namespace specmamba
