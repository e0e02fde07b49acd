#pragma once
// The one registry of unit implementations: a unit is built by name
// ("fast", later "rtl") from the experiment's "accelerator.units" choice; an
// unknown name lists the valid ones. Adding the Verilated twins means adding
// their factories to the tables in UnitRegistry.cpp.
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

// Implementation names registered for `unit` ("fast", ...).
std::vector<std::string> unitImplementations(UnitKind unit);
// Builds every unit with the implementation ctx.accel->units names.
Units makeUnits(const UnitContext& ctx);

}  // namespace specmamba::platform
