#pragma once
// The `rtl` implementations of the unit interfaces: Verilated SystemC models
// of rtl/ driven on the accelerator clock (RtlDriver.h). They live in their
// own library (specmamba_rtl_units, sim/platform/rtl/CMakeLists.txt) with
// their own Verilator runtime, linked only into the binaries that call
// registerRtlUnits(): specmamba, specmamba-bench and test_platform.
#include <memory>

#include "sim/platform/units/UnitRegistry.h"

namespace specmamba::platform::rtl {

std::unique_ptr<Mmu> makeRtlMmu(const UnitContext& ctx);
std::unique_ptr<Ssmu> makeRtlSsmu(const UnitContext& ctx);
std::unique_ptr<Conv> makeRtlConv(const UnitContext& ctx);
std::unique_ptr<Norm> makeRtlNorm(const UnitContext& ctx);
std::unique_ptr<Htu> makeRtlHtu(const UnitContext& ctx);
std::unique_ptr<Quant> makeRtlQuant(const UnitContext& ctx);

}  // namespace specmamba::platform::rtl

namespace specmamba::platform {

// Adds the "rtl" implementations to the unit registry (idempotent). The
// residual add has none: there is no residual unit in rtl/.
void registerRtlUnits();

}  // namespace specmamba::platform
