#pragma once
// Busy intervals of every unit (accelerator cycles), from which the run
// report derives utilization, overlap and memory stall for a window of time.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/platform/AcceleratorConfig.h"

namespace specmamba::platform {

using Cycle = uint64_t;

struct Interval {
  Cycle start = 0, end = 0;
};

struct WindowActivity {
  Cycle cycles = 0;                                    // window length
  std::array<Cycle, size_t(UnitKind::kCount)> busy{};  // per unit, cycles busy
  Cycle anyBusy = 0;                                   // cycles in which at least one unit computes
  Cycle overlap = 0;                                   // cycles in which two or more units compute
  WindowActivity& operator+=(const WindowActivity& o);
  WindowActivity scaled(uint64_t times) const;
  WindowActivity divided(uint64_t n) const;  // mean of n windows (rounded down)
};

class ActivityLog {
 public:
  void busy(UnitKind unit, Cycle start, Cycle end);
  // Activity inside [from, to).
  WindowActivity window(Cycle from, Cycle to) const;
  // The busy intervals of `unit` that overlap [from, to), clipped to it.
  std::vector<Interval> intervals(UnitKind unit, Cycle from, Cycle to) const;

 private:
  std::array<std::vector<Interval>, size_t(UnitKind::kCount)> intervals_;
};

}  // namespace specmamba::platform
