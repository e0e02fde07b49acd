#pragma once
// The on-chip FIFO of node-state tiles of the tree walk (SPEC §5): in BFS
// order each parent's state is consumed in the order it was produced, so a
// FIFO (not a per-node DRAM copy) feeds the children. Bounded: pushing past
// the capacity computed from the tree is an error, and the high-water mark
// is kept for the accounting. The RTL twin is rtl/tree_fifo (issue 3).
#include <fmt/format.h>

#include <deque>
#include <utility>

#include "models/common/Error.h"

namespace specmamba {

template <class Tile>
class StateFifo {
 public:
  explicit StateFifo(int capacity) : capacity_(capacity) {}

  void push(int node, Tile tile) {
    if (int(items_.size()) >= capacity_) {
      throw Error(fmt::format("state FIFO overflow: node {} pushed with {} of {} entries in use",
                              node, items_.size(), capacity_));
    }
    items_.emplace_back(node, std::move(tile));
    highWater_ = std::max(highWater_, int(items_.size()));
  }
  // The parent's tile for the next node: in BFS order it is always the front.
  const Tile& front(int node) {
    if (items_.empty() || items_.front().first != node) {
      throw Error(fmt::format("state FIFO: node {} is not at the front (nodes not in BFS order?)",
                              node));
    }
    return items_.front().second;
  }
  // After the parent's last child has read it.
  void pop() {
    if (items_.empty()) throw Error("state FIFO underflow: pop from an empty FIFO");
    items_.pop_front();
  }

  int highWater() const { return highWater_; }

 private:
  int capacity_;
  std::deque<std::pair<int, Tile>> items_;
  int highWater_ = 0;
};

}  // namespace specmamba
