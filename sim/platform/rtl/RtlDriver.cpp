#include "sim/platform/rtl/RtlDriver.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba::platform::rtl {

UnitClock::UnitClock(const UnitContext& ctx, UnitKind unit)
    : ctx_(ctx),
      unit_(unit),
      platform_(*ctx.clock),
      clk_(sc_core::sc_gen_unique_name(fmt::format("{}_clk", unitName(unit)).c_str()), false),
      rstN_(sc_core::sc_gen_unique_name(fmt::format("{}_rst_n", unitName(unit)).c_str()), true) {}

bool UnitClock::resetOnce() {
  if (reset_) return false;
  reset_ = true;
  rstN_.write(false);
  sc_core::wait(sc_core::SC_ZERO_TIME);
  configPulse();
  configPulse();
  rstN_.write(true);
  sc_core::wait(sc_core::SC_ZERO_TIME);
  return true;
}

void UnitClock::stalled(int in, int inputs, int out, int outputs) const {
  throw Error(fmt::format(
      "rtl {}: no handshake for {} cycles at cycle {} ({} of {} beats in, {} of {} out)",
      unitName(unit_), kStallLimit, ctx_.now(), in, inputs, out, outputs));
}

void requireLanes(const UnitContext& ctx, UnitKind unit, int lanes) {
  if (ctx.accel->pp != lanes) {
    throw ConfigError(
        fmt::format("accelerator.units.{}: the rtl implementation is the {}-lane RTL "
                    "(Verilated at PP = {}); this experiment has pp = {}",
                    unitName(unit), lanes, lanes, ctx.accel->pp));
  }
}

}  // namespace specmamba::platform::rtl

namespace specmamba::platform::rtl {

void LutPort::load(UnitClock& clock, const intops::Lut& L) {
  alpha.write(uint32_t(L.alpha));
  k.write(uint32_t(L.k));
  ks.write(uint32_t(L.ks));
  we.write(true);
  for (size_t a = 0; a < L.t.size() + L.ts.size(); ++a) {
    const bool shiftTable = a >= L.t.size();
    sel.write(shiftTable);
    addr.write(uint32_t(shiftTable ? a - L.t.size() : a));
    data.write(shiftTable ? uint32_t(L.ts[a - L.t.size()]) : uint32_t(uint16_t(L.t[a])));
    clock.configPulse();
  }
  we.write(false);
}

}  // namespace specmamba::platform::rtl
