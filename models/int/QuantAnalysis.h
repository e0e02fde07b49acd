#pragma once
// Quantization error of the integer datapath against FP32 (issue 7, SPEC §3
// "Report quantization error per layer vs FP32, with and without rotation"):
// the data behind `specmamba quant-report`. docs/arithmetic.md defines every
// figure; everything here is deterministic for given weights and options.
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/int/IntModelWeights.h"
#include "models/weights/Mamba2Weights.h"

namespace specmamba {

// Relative L2 error ||q(x) - x|| / ||x|| of 4- or 8-bit quantizers on one
// tensor x (summed over all tokens of a layer), in percent:
struct ActivationErrors {
  double rtn = 0;     // per-token symmetric RTN, FP scale max|x| / qmax, no rotation
  double rtnRot = 0;  // the same after the online Hadamard
  double pot = 0;     // SPEC §3 group-8 PoT quantizer on x in Q10, no rotation
  double potRot = 0;  // the same after the online Hadamard
};

// Layer (mixer output) variants:
enum class LayerVariant { Rtn, Pot, PotRelease, PotRot };
constexpr std::array<LayerVariant, 4> kLayerVariants = {
    LayerVariant::Rtn, LayerVariant::Pot, LayerVariant::PotRelease, LayerVariant::PotRot};
const char* layerVariantName(LayerVariant v);  // "rtn" | "pot" | "pot_release" | "pot_rot"

struct LayerQuantReport {
  int layer = 0;
  ActivationErrors outProjInput[2];  // [0] 4-bit, [1] 8-bit
  double output[2][4] = {};  // [W4A4, W8A8][variant] relative L2 error of the mixer output, %
};

struct QuantReportOptions {
  int errorTokens = 32;       // tokens behind the per-layer errors
  int agreementTokens = 256;  // positions behind the top-1 agreement
  uint64_t tokenSeed = 1;     // the pseudo-random input tokens
};

struct QuantReport {
  std::vector<LayerQuantReport> layers;
  // Top-1 agreement with FP32, [W4A4, W8A8][none, offline-only, online], %.
  double agreement[2][3] = {};
  // Mean over layers of the fields above, for summaries.
  LayerQuantReport mean;
};

// Pseudo-random token ids (deterministic).
std::vector<int> reportTokens(int n, int vocab, uint64_t seed);

// Per-layer relative L2 error (%) of the mixer output of `q` against FP32,
// teacher-forced: each layer gets the FP32 model's residual (in q's rotation
// basis); the integer layer keeps its own recurrent state.
std::vector<double> intLayerOutputErrors(const Mamba2Weights& fp32, const IntModelWeights& q,
                                         const std::vector<int>& tokens);

// Greedy (argmax) next-token choice of the FP32 model after each token of
// `tokens` (decoded one by one from the initial state).
std::vector<int> fp32TopOne(const Mamba2Weights& fp32, const std::vector<int>& tokens);
// Top-1 agreement (%): the integer model decodes the same `tokens`; the share
// of positions where its argmax equals `reference` (fp32TopOne).
double topOneAgreement(const IntModelWeights& q, const std::vector<int>& tokens,
                       const std::vector<int>& reference);

// Everything above for one model. `progress` (optional) gets one line per step.
QuantReport runQuantReport(const Mamba2Weights& fp32, const QuantReportOptions& o,
                           const std::function<void(const char*)>& progress = {});

}  // namespace specmamba
