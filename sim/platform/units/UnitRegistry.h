#pragma once
// The one registry of unit implementations: a unit is built by name
// ("fast", "rtl") from the experiment's "accelerator.units" choice; an
// unknown name lists the valid ones. The fast twins are always there; the
// Verilated twins (sim/platform/rtl) are added by registerRtlUnits() in the
// binaries that link them.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/platform/units/Conv.h"
#include "sim/platform/units/Htu.h"
#include "sim/platform/units/Mmu.h"
#include "sim/platform/units/Norm.h"
#include "sim/platform/units/Quant.h"
#include "sim/platform/units/Residual.h"
#include "sim/platform/units/Ssmu.h"

namespace specmamba::platform {

struct Units {
  std::unique_ptr<Mmu> mmu;
  std::unique_ptr<Ssmu> ssmu;
  std::unique_ptr<Conv> conv;
  std::unique_ptr<Norm> norm;
  std::unique_ptr<Htu> htu;
  std::unique_ptr<Quant> quant;
  std::unique_ptr<Residual> residual;
};

template <class T>
using UnitFactory = std::function<std::unique_ptr<T>(const UnitContext&)>;

// One implementation of some units (an empty factory: none for that unit).
struct UnitFactories {
  UnitFactory<Mmu> mmu;
  UnitFactory<Ssmu> ssmu;
  UnitFactory<Conv> conv;
  UnitFactory<Norm> norm;
  UnitFactory<Htu> htu;
  UnitFactory<Quant> quant;
  UnitFactory<Residual> residual;
};
// Adds implementation `name` (a second call with the same name is a no-op).
void registerUnitImplementations(const std::string& name, const UnitFactories& f);

// Implementation names registered for `unit` ("fast", ...).
std::vector<std::string> unitImplementations(UnitKind unit);
// Why `impl` cannot be built for `unit` (for the config error).
std::string missingImplementation(UnitKind unit, const std::string& impl);
// Builds every unit with the implementation ctx.accel->units names.
Units makeUnits(const UnitContext& ctx);

}  // namespace specmamba::platform
