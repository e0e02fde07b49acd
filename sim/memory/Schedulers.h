#pragma once
#include "sim/memory/Policies.h"

namespace specmamba::dram {

// First-ready, first-come-first-served (Rixner et al., ISCA 2000): the oldest
// ready column command (a row hit), else the oldest ready command; a row with
// queued hits is not closed for a conflicting request.
class SchedulerFrFcfs final : public Scheduler {
 public:
  int pick(const std::vector<Candidate>& candidates) const override {
    int column = -1, any = -1;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (!c.ready || c.closesHits) continue;
      if (isColumn(c.command) && (column < 0 || c.age < candidates[size_t(column)].age)) {
        column = int(i);
      }
      if (any < 0 || c.age < candidates[size_t(any)].age) any = int(i);
    }
    return column >= 0 ? column : any;
  }
};

// Strict in-order: only the oldest request may issue.
class SchedulerFcfs final : public Scheduler {
 public:
  int pick(const std::vector<Candidate>& candidates) const override {
    int oldest = -1;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (oldest < 0 || candidates[i].age < candidates[size_t(oldest)].age) oldest = int(i);
    }
    return oldest >= 0 && candidates[size_t(oldest)].ready ? oldest : -1;
  }
};

}  // namespace specmamba::dram
