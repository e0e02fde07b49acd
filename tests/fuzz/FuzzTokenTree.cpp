// Token-tree shapes: branching lists ("3,2,2,1") and parent lists ("p:-1,0,0,1").
#include "models/common/Error.h"
#include "models/speculative/TokenTree.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto tree = specmamba::TokenTree::parse(std::string(reinterpret_cast<const char*>(data), size), "tree");
    (void)tree.describe();
    (void)tree.pathTo(tree.size() - 1);
  } catch (const specmamba::Error&) {
  }
  return 0;
}
