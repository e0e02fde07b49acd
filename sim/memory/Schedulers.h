#pragma once
#include "sim/memory/Policies.h"

namespace specmamba::dram {

// First-ready, first-come-first-served (Rixner et al., ISCA 2000): the oldest
// ready column command (a row hit), else the oldest ready command; a row with
// queued hits is not closed for a conflicting request.
class SchedulerFrFcfs final : public Scheduler {
 public:
  int pick(const Candidate* candidates, size_t n) const override {
    int column = -1, any = -1;
    uint64_t columnAge = UINT64_MAX, anyAge = UINT64_MAX;
    for (size_t i = 0; i < n; ++i) {
      const Candidate& c = candidates[i];
      if (!c.ready || c.closesHits) continue;
      if (isColumn(c.command) && c.age < columnAge) {
        column = int(i);
        columnAge = c.age;
      }
      if (c.age < anyAge) {
        any = int(i);
        anyAge = c.age;
      }
    }
    return column >= 0 ? column : any;
  }
  bool needsWaitingCandidates() const override { return false; }
};

// Strict in-order: only the oldest request may issue.
class SchedulerFcfs final : public Scheduler {
 public:
  int pick(const Candidate* candidates, size_t n) const override {
    int oldest = -1;
    for (size_t i = 0; i < n; ++i) {
      if (oldest < 0 || candidates[i].age < candidates[size_t(oldest)].age) oldest = int(i);
    }
    return oldest >= 0 && candidates[size_t(oldest)].ready ? oldest : -1;
  }
};

}  // namespace specmamba::dram
