#pragma once
// The quantized models the RTL tests take real vectors from: the synthetic
// tiny-64 (and tiny-256) weights (seed 3) through the offline quantizer with the online
// rotation (as tests/int does), W4A4 or W8A8, each built once per process.
#include "models/config/ModelConfig.h"
#include "models/int/IntModelWeights.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"

namespace specmamba::rtltest {

inline IntModelWeights quantizedTiny(const char* model, Precision p) {
  SyntheticOptions so;
  so.seed = 3;
  return quantizeModel(makeSyntheticWeights(loadModelConfig(model), so), {p, RotationMode::Online});
}
inline IntModelWeights quantizedTiny64(Precision p) { return quantizedTiny("tiny-64", p); }

inline const IntModelWeights& tiny64W4A4() {
  static const IntModelWeights q = quantizedTiny64(Precision::W4A4);
  return q;
}

inline const IntModelWeights& tiny64W8A8() {
  static const IntModelWeights q = quantizedTiny64(Precision::W8A8);
  return q;
}

inline const IntModelWeights& tiny256W4A4() {
  static const IntModelWeights q = quantizedTiny("tiny-256", Precision::W4A4);
  return q;
}

}  // namespace specmamba::rtltest
