#pragma once
// Exact conversion between the accelerator clock and the DRAM command clock
// (tCK of the preset): memory cycles per accelerator cycle = num/den, a
// reduced fraction of whole numbers (clock in kHz, tCK in ps), so no drift
// accumulates over billions of cycles. An event at one clock's edge is seen at
// the first edge of the other clock at or after it (ceiling both ways).
#include <cstdint>

#include "sim/memory/DramTypes.h"

namespace specmamba::platform {

class PortClock {
 public:
  PortClock(double accelClockMhz, int64_t tckPs);

  dram::Cycle toMemory(uint64_t accelCycle) const;
  uint64_t toAccel(dram::Cycle memoryCycle) const;
  // Whole accelerator cycles covering `ns` (rounded up).
  uint64_t accelCycles(double ns) const;

 private:
  uint64_t accelKhz_;
  uint64_t num_, den_;  // memory cycles per accelerator cycle = num_ / den_
};

}  // namespace specmamba::platform
