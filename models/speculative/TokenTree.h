#pragma once
// Static token-tree shape of speculative decoding (SPEC §5). Node 0 is the
// root: the last committed token, which neither model has processed yet.
// Nodes 1..n-1 are draft tokens, numbered breadth-first, so parent(i) < i
// and parents never decrease with i. A chain is the tree [1,1,...,1].
#include <string>
#include <vector>

namespace specmamba {

class TokenTree {
 public:
  static constexpr int kMaxNodes = 1024;

  // Branching per depth: [3,2,2,1] = root has 3 children, each of those 2, ...
  static TokenTree fromBranching(const std::vector<int>& branching);
  // parents[i] for every node; parents[0] must be -1; BFS numbering required.
  static TokenTree fromParents(const std::vector<int>& parents);
  // "3,2,2,1" (branching) or "p:-1,0,0,1,1" (parent list); errors name `what`.
  static TokenTree parse(const std::string& text, const std::string& what);

  int size() const { return int(parent_.size()); }
  int parent(int node) const { return parent_[size_t(node)]; }
  int depth(int node) const { return depth_[size_t(node)]; }
  const std::vector<int>& children(int node) const { return children_[size_t(node)]; }
  int maxDepth() const { return maxDepth_; }
  // Nodes at the widest depth.
  int maxWidth() const { return maxWidth_; }
  // Root..node inclusive.
  std::vector<int> pathTo(int node) const;
  // Largest number of node states a BFS walk keeps in its FIFO at once: a
  // node's state is pushed when produced if it has children and popped when
  // its last child has read it (at most the two widest adjacent levels' parents).
  int fifoDepth() const { return fifoDepth_; }
  const std::vector<int>& parents() const { return parent_; }
  std::string describe() const;

 private:
  void build();
  std::vector<int> parent_;
  std::vector<int> depth_;
  std::vector<std::vector<int>> children_;
  int maxDepth_ = 0;
  int maxWidth_ = 1;
  int fifoDepth_ = 1;
};

}  // namespace specmamba
