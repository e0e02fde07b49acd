#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

void UnitContext::compute(UnitKind unit, Cycle cycles) const {
  if (cycles == 0) return;
  const Cycle start = now();
  log->busy(unit, start, start + cycles);
  sc_core::wait(period * double(cycles));
}

}  // namespace specmamba::platform
