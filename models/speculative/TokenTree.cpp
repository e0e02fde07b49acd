#include "models/speculative/TokenTree.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/common/Error.h"
#include "models/common/IntList.h"

namespace specmamba {

TokenTree TokenTree::fromBranching(const std::vector<int>& branching) {
  std::vector<int> parents{-1};
  std::vector<int> level{0};
  for (size_t d = 0; d < branching.size(); ++d) {
    const int b = branching[d];
    if (b < 1 || b > 64) {
      throw Error(fmt::format("tree branching at depth {} must be in [1, 64], got {}", d, b));
    }
    std::vector<int> next;
    for (int p : level) {
      for (int k = 0; k < b; ++k) {
        if (int(parents.size()) >= kMaxNodes) {
          throw Error(fmt::format("tree [{}] has more than {} nodes", fmt::join(branching, ","),
                                  kMaxNodes));
        }
        next.push_back(int(parents.size()));
        parents.push_back(p);
      }
    }
    level.swap(next);
  }
  return fromParents(parents);
}

TokenTree TokenTree::fromParents(const std::vector<int>& parents) {
  if (parents.empty() || parents[0] != -1) {
    throw Error("tree parent list must start with -1 (node 0 is the root)");
  }
  if (int(parents.size()) > kMaxNodes) {
    throw Error(fmt::format("tree has {} nodes, at most {} allowed", parents.size(), kMaxNodes));
  }
  for (size_t i = 1; i < parents.size(); ++i) {
    const int p = parents[i];
    if (p < 0 || p >= int(i)) {
      throw Error(fmt::format("tree node {}: parent {} must be an earlier node (0..{})", i, p, i - 1));
    }
    if (p < parents[i - 1]) {
      throw Error(fmt::format("tree node {}: parent {} comes before the previous node's parent {} "
                              "(nodes must be numbered breadth-first)",
                              i, p, parents[i - 1]));
    }
  }
  TokenTree t;
  t.parent_ = parents;
  t.build();
  return t;
}

void TokenTree::build() {
  const int n = size();
  depth_.assign(size_t(n), 0);
  children_.assign(size_t(n), {});
  std::vector<int> width(1, 1);
  for (int i = 1; i < n; ++i) {
    depth_[size_t(i)] = depth_[size_t(parent_[size_t(i)])] + 1;
    if (i > 1 && depth_[size_t(i)] < depth_[size_t(i - 1)]) {
      throw Error(fmt::format("tree node {} is shallower than node {} (nodes must be numbered "
                              "breadth-first)",
                              i, i - 1));
    }
    children_[size_t(parent_[size_t(i)])].push_back(i);
    if (int(width.size()) <= depth_[size_t(i)]) width.push_back(0);
    ++width[size_t(depth_[size_t(i)])];
  }
  // Replay the BFS walk's FIFO discipline (see StateFifo) to size it: a
  // node's state is pushed if it has children and popped after its last child.
  int inFifo = 0;
  fifoDepth_ = 1;
  for (int i = 0; i < n; ++i) {
    const int p = parent_[size_t(i)];
    if (p >= 0 && children_[size_t(p)].back() == i) --inFifo;
    if (!children_[size_t(i)].empty()) ++inFifo;
    fifoDepth_ = std::max(fifoDepth_, inFifo);
  }
  maxDepth_ = int(width.size()) - 1;
  maxWidth_ = *std::max_element(width.begin(), width.end());
}

std::vector<int> TokenTree::pathTo(int node) const {
  std::vector<int> path;
  for (int v = node; v >= 0; v = parent_[size_t(v)]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

TokenTree TokenTree::parse(const std::string& text, const std::string& what) {
  const bool parentList = text.rfind("p:", 0) == 0;
  const std::string body = parentList ? text.substr(2) : text;
  const auto parsed = parseIntegerList(body, -1, kMaxNodes);
  if (!parsed) {
    throw Error(fmt::format("{}: expected a branching list like 3,2,2,1 or a parent list like "
                            "p:-1,0,0,1, got \"{}\"",
                            what, text));
  }
  const std::vector<int> values(parsed->begin(), parsed->end());
  try {
    return parentList ? fromParents(values) : fromBranching(values);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", what, e.what()));
  }
}

std::string TokenTree::describe() const {
  return fmt::format("{} nodes, depth {}, max width {}, FIFO depth {}", size(), maxDepth_,
                     maxWidth_, fifoDepth_);
}

}  // namespace specmamba
