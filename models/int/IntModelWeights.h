#pragma once
// Parameters of the integer Mamba2 model (SPEC §3), as the offline quantizer
// (models/int/OfflineQuantizer.h) produces them. Plain data.
#include <string>
#include <vector>

#include "models/common/Matrix.h"
#include "models/config/ModelConfig.h"
#include "models/int/IntOps.h"
#include "models/rotation/RotationFolding.h"

namespace specmamba {

enum class Precision { W4A4, W8A8 };
Precision parsePrecision(const std::string& name);  // "w4a4" | "w8a8"
const char* precisionName(Precision p);
inline int precisionBits(Precision p) { return p == Precision::W4A4 ? 4 : 8; }

struct IntLayerWeights {
  // The two norms' output formats are Q(10 + k) with k >= 0 chosen per layer so
  // that the linear layer's largest weight fits its scales [ours]
  // (IntTables.h weightHeadroom); usually k = 0.
  int inProjInFrac = 10;
  int outProjInFrac = 10;
  intops::RmsLut norm;              // pre-norm table (input Q10 residual, output Q<inProjInFrac>)
  std::vector<int16_t> normW;       // [d_model] int11, Q8 (all 1.0 when rotation folded it away)
  intops::IntLinear inProj;         // [in_proj_out, d_model], output Q10
  intops::IntConv conv;             // taps Q10, bias Q20
  std::vector<int32_t> dtBias;      // [heads] Q10
  std::vector<int16_t> aQ;          // [heads] A = -exp(A_log), Q10, int16
  std::vector<uint8_t> aS;          // [heads / 8] 3-bit exponents
  std::vector<int8_t> dQ;           // [heads] D, Q10, int8
  std::vector<uint8_t> dS;          // [heads / 8]
  intops::RmsLut gatedNorm;         // gated-norm table (input Q12)
  std::vector<int16_t> gatedNormW;  // [d_inner] int13, Q8
  intops::IntLinear outProj;        // [d_model, d_inner], output Q10 (pre-rotated when online)
};

struct IntModelWeights {
  ModelConfig config;
  Precision precision = Precision::W4A4;
  RotationMode rotation = RotationMode::Online;
  intops::Lut silu, softplus, exp;
  std::vector<IntLayerWeights> layers;
  // Host side, FP32, as in the LightMamba release (SPEC §4): embedding, final
  // norm and LM head run on the CPU, in the rotated basis.
  Matrix embedding;          // [vocab, d_model]
  std::vector<float> normF;  // [d_model]
  Matrix lmHead;             // [vocab, d_model]
};

}  // namespace specmamba
