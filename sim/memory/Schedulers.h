#pragma once
#include "sim/memory/Policies.h"

namespace specmamba::dram {

// First-ready, first-come-first-served (Rixner et al., ISCA 2000): the oldest
// ready column command (a row hit), else the oldest ready command.
class SchedulerFrFcfs final : public Scheduler {
 public:
  int pick(const std::vector<Candidate>& candidates) const override {
    int firstReady = -1;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!candidates[i].ready) continue;
      if (isColumn(candidates[i].command)) return int(i);
      if (firstReady < 0) firstReady = int(i);
    }
    return firstReady;
  }
};

// Strict in-order: only the oldest request may issue.
class SchedulerFcfs final : public Scheduler {
 public:
  int pick(const std::vector<Candidate>& candidates) const override {
    return !candidates.empty() && candidates[0].ready ? 0 : -1;
  }
};

}  // namespace specmamba::dram
