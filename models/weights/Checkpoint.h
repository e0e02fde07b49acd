#pragma once
// Mamba2 checkpoints in the Hugging Face state-spaces/mamba2-* tensor layout
// (SPEC §2), stored as safetensors.
#include <string>

#include "models/weights/Mamba2Weights.h"
#include "models/weights/Safetensors.h"

namespace specmamba {

// Loads every tensor of `config` from `path`, converting F16/BF16 to FP32.
// A missing or misshapen tensor is an error naming it. The embedding is also
// accepted under the older name backbone.embedding.weight; lm_head.weight is
// used only if present and different from the embedding (untied).
Mamba2Weights loadCheckpoint(const std::string& path, const ModelConfig& config);

// Writes all tensors in `dtype` (lm_head.weight only when untied). Weights
// whose out_proj expects an online rotation (onlineHadamard) are refused.
void saveCheckpoint(const std::string& path, const Mamba2Weights& weights, DType dtype);

}  // namespace specmamba
