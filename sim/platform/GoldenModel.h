#pragma once
// The integer golden model an experiment's functional run computes with:
// its weights (checkpoint or seeded synthetic) through the offline quantizer
// at the accelerator's precision and the experiment's rotation.
#include <functional>
#include <memory>
#include <string>

#include "models/int/Mamba2Int.h"
#include "sim/platform/Experiment.h"

namespace specmamba::platform {

struct GoldenModel {
  IntModelWeights weights;
  std::unique_ptr<Mamba2Int> model;  // refers to `weights`: a GoldenModel never moves
};

// `stage` (optional) names each step for a progress line.
std::unique_ptr<GoldenModel> makeGoldenModel(
    const Experiment& e, const std::function<void(const std::string&)>& stage = nullptr);

}  // namespace specmamba::platform
