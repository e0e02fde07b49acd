#pragma once
// Golden vectors for the RTL tests: every operator's inputs and outputs and
// every layer's integer weights and per-token intermediates, written as JSON
// (format: docs/arithmetic.md "Golden vectors").
#include <string>
#include <vector>

#include "models/int/IntModelWeights.h"

namespace specmamba {

struct GoldenVectorOptions {
  int tokens = 4;     // tokens run through the model
  uint64_t seed = 1;  // prompt tokens and the random operator cases
};

// Writes the files into `dir` (created if missing); returns their names.
std::vector<std::string> exportGoldenVectors(const IntModelWeights& q, const std::string& dir,
                                             const GoldenVectorOptions& o = {});

}  // namespace specmamba
