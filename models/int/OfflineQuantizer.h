#pragma once
// Offline quantizer: FP32 Mamba2 weights -> integer model (SPEC §3):
// fold rotations, two-term PoT int4/int8 linear weights, PoT conv/A/D, int11 /
// int13 norm weights, LUTs generated from the real functions.
#include "models/int/IntModelWeights.h"
#include "models/weights/Mamba2Weights.h"

namespace specmamba {

struct QuantOptions {
  Precision precision = Precision::W4A4;
  RotationMode rotation = RotationMode::Online;
};

IntModelWeights quantizeModel(const Mamba2Weights& fp32, const QuantOptions& options = {});

// The FP32 gain folded into out_proj for the HTU (2^shift / sqrt(d_inner)):
// the integer HTU computes (H y) >> shift, not H y / sqrt(d_inner).
double htuWeightGain(int dInner);

}  // namespace specmamba
