#pragma once
// The controller's policies, each a small interface with `final`
// implementations chosen by name in PolicyRegistry.cpp (the one registry).
#include <cstdint>
#include <vector>

#include "sim/memory/DramTypes.h"

namespace specmamba::dram {

// The next command of one queued request (the oldest of its kind in its bank).
struct Candidate {
  uint32_t slot = 0;  // the controller's handle of the request
  Command command = Command::ACT;
  bool ready = false;       // every timing constraint allows it this cycle
  uint64_t age = 0;         // arrival order: smaller is older (unique)
  bool closesHits = false;  // a PRE of a row that younger queued requests still hit
};

// Picks the command to issue this cycle.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Index into candidates[0, n) (in no particular order), or -1 to issue nothing.
  virtual int pick(const Candidate* candidates, size_t n) const = 0;
  // False when pick() never looks at a candidate that is not ready: the
  // controller then leaves those out (they still set its wake-up cycle).
  virtual bool needsWaitingCandidates() const { return true; }
};

// Decides whether a column command closes its row (RDA/WRA) or leaves it open.
class PagePolicy {
 public:
  virtual ~PagePolicy() = default;
  // `otherHits`: queued requests, besides this one, for the same open row.
  virtual bool autoPrecharge(int otherHits) const = 0;
};

struct RefreshTarget {
  int rank = 0;
  int bank = -1;  // flat bank index within the rank; -1: all banks (REFab)
};

// When refreshes fall due and which rank/bank they target.
class RefreshPolicy {
 public:
  virtual ~RefreshPolicy() = default;
  // Cycle at which the next refresh falls due (NEVER when refresh is off).
  virtual Cycle nextDue() const = 0;
  virtual RefreshTarget target() const = 0;
  // The refresh for target() was issued.
  virtual void refreshed() = 0;
  virtual bool perBank() const = 0;
};

}  // namespace specmamba::dram
