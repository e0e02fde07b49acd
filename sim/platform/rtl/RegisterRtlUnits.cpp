#include "sim/platform/rtl/RtlUnits.h"

namespace specmamba::platform {

void registerRtlUnits() {
  UnitFactories f;
  f.mmu = rtl::makeRtlMmu;
  f.ssmu = rtl::makeRtlSsmu;
  f.conv = rtl::makeRtlConv;
  f.norm = rtl::makeRtlNorm;
  f.htu = rtl::makeRtlHtu;
  f.quant = rtl::makeRtlQuant;
  registerUnitImplementations("rtl", f);
}

}  // namespace specmamba::platform
