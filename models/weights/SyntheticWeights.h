#pragma once
// Seeded synthetic Mamba2 weights with the statistics of trained checkpoints
// (heavy tails, outlier channels); docs/weights.md lists each distribution
// and where it comes from. Same config + seed -> bit-identical weights.
#include <cstdint>

#include "models/weights/Mamba2Weights.h"

namespace specmamba {

struct SyntheticOptions {
  uint64_t seed = 1;
  // Fraction of residual channels carrying "massive" activations (fixed
  // positions, as in trained LLMs) and their gain.
  double residualOutlierFraction = 1.0 / 256;
  double residualOutlierGain = 12.0;
  // Fraction of d_inner channels whose z and x rows are amplified: their gated
  // output is large only on tokens where SiLU(z) opens, so the outlier
  // positions of the out_proj input change from token to token.
  double gateOutlierFraction = 1.0 / 64;
  double gateOutlierGain = 6.0;
};

Mamba2Weights makeSyntheticWeights(const ModelConfig& config, const SyntheticOptions& options = {});

}  // namespace specmamba
