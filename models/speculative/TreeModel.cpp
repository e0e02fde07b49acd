#include "models/speculative/TreeModel.h"

namespace specmamba {

std::vector<int> topK(const float* logits, int vocab, int k) {
  std::vector<int> idx(static_cast<size_t>(vocab));
  std::iota(idx.begin(), idx.end(), 0);
  k = std::min(k, vocab);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  });
  idx.resize(size_t(k));
  return idx;
}

}  // namespace specmamba
