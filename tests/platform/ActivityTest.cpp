// Busy intervals -> utilization, overlap and idle time of a window.
#include <catch2/catch.hpp>

#include "sim/platform/units/ActivityLog.h"

using namespace specmamba::platform;

TEST_CASE("activity windows count busy, any-busy and overlap cycles", "[platform]") {
  ActivityLog log;
  log.busy(UnitKind::Mmu, 0, 100);
  log.busy(UnitKind::Mmu, 100, 150);  // merges with the previous interval
  log.busy(UnitKind::Mmu, 200, 300);
  log.busy(UnitKind::Ssmu, 50, 250);
  const WindowActivity w = log.window(0, 400);
  CHECK(w.cycles == 400);
  CHECK(w.busy[size_t(UnitKind::Mmu)] == 250);
  CHECK(w.busy[size_t(UnitKind::Ssmu)] == 200);
  CHECK(w.anyBusy == 300);  // [0, 300)
  CHECK(w.overlap == 150);  // [50, 150) and [200, 250)
  const WindowActivity part = log.window(120, 220);
  CHECK(part.busy[size_t(UnitKind::Mmu)] == 50);
  CHECK(part.busy[size_t(UnitKind::Ssmu)] == 100);
  CHECK(part.overlap == 50);
  CHECK(part.anyBusy == 100);
  const WindowActivity twice = part.scaled(2);
  CHECK(twice.cycles == 200);
  CHECK(twice.divided(2).overlap == 50);
}
