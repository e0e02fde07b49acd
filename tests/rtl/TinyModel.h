#pragma once
// The quantized model the RTL tests take real vectors from: the synthetic
// tiny-64 weights (seed 3) through the offline quantizer, W4A4 with the
// online rotation (as tests/int does), built once per process.
#include "models/config/ModelConfig.h"
#include "models/int/IntModelWeights.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"

namespace specmamba::rtltest {

inline const IntModelWeights& tiny64W4A4() {
  static const IntModelWeights q = [] {
    SyntheticOptions so;
    so.seed = 3;
    return quantizeModel(makeSyntheticWeights(loadModelConfig("tiny-64"), so),
                         {Precision::W4A4, RotationMode::Online});
  }();
  return q;
}

}  // namespace specmamba::rtltest
