#pragma once
// Parameters of the accelerator (SPEC §4) as an experiment names them, after
// validation: every impossible combination is a ConfigError naming the file,
// the JSON pointer and the allowed range (parseAcceleratorConfig).
#include <cstdint>
#include <map>
#include <string>

#include "models/common/JsonReader.h"
#include "models/config/ModelConfig.h"
#include "models/int/IntModelWeights.h"

namespace specmamba::platform {

// The units a sequencer drives; each has a `fast` (C++ timing model) and an
// `rtl` (Verilated) implementation chosen per unit (units/UnitRegistry.cpp).
enum class UnitKind { Mmu, Ssmu, Conv, Norm, Htu, Quant, Residual, kCount };
const char* unitName(UnitKind u);

enum class LmHeadPlacement { Host, Accelerator };

struct AcceleratorConfig {
  int tp = 1;             // tokens per MMU pass (weight-beat reuse)
  int cop = 8;            // MMU output channels per cycle
  int cip = 8;            // MMU input channels per cycle
  int pp = 8;             // lanes of the element-wise units (SSMU, conv, norm, quantizer, residual)
  int busBits = 256;      // memory port width (bits per accelerator cycle)
  double clockMhz = 400;  // accelerator clock
  Precision precision = Precision::W4A4;
  bool reordering = true;  // dt, B, C first, then x / z per head group (SSMU under in_proj)
  bool tiling = true;      // SSMU intermediates tiled and fused (one pass per element)
  int64_t weightBufferBytes = 64 << 10;       // on-chip weight read-ahead (bounded prefetch)
  int64_t stateBufferBytes = 2196 << 10;      // SSM state + intermediates (61 URAM x 36 KiB)
  int64_t activationBufferBytes = 128 << 10;  // in_proj output and layer vectors, TP tokens
  LmHeadPlacement lmHead = LmHeadPlacement::Host;
  std::string portTiming = "burst";       // StreamPort implementation ("burst" | "detailed")
  int maxOutstanding = 0;                 // StreamPort: 0 = implementation default
  std::map<UnitKind, std::string> units;  // implementation per unit ("fast" | "rtl")

  int weightBits() const { return precisionBits(precision); }
  int64_t busBytes() const { return busBits / 8; }
  const std::string& unitImpl(UnitKind u) const { return units.at(u); }
};

// `o` is the experiment's "accelerator" object; `clockDefault` the platform's
// clock, `axiBitsMax` the platform's total AXI width (ports x width).
AcceleratorConfig parseAcceleratorConfig(JsonObject o, const ModelConfig& model,
                                         double clockDefault, int axiBitsMax);

// On-chip bytes the SSMU needs for one layer: the state [N][d_inner] int8 +
// exponents, plus its int32 intermediates (a tile of n_p x p_p when tiling is
// on, the whole [N][d_inner] when off).
int64_t ssmBufferNeed(const ModelConfig& m, const AcceleratorConfig& a);

}  // namespace specmamba::platform
