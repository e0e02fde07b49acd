#pragma once
// FP32 parameters of a Mamba2 model, laid out as the Hugging Face
// state-spaces/mamba2-* checkpoints (SPEC §2). Plain data: the offline
// quantizer and rotation folding transform copies of it.
#include <string>
#include <vector>

#include "models/common/Matrix.h"
#include "models/config/ModelConfig.h"

namespace specmamba {

struct LayerWeights {
  std::vector<float> norm;       // [d_model]     backbone.layers.{i}.norm.weight
  Matrix inProj;                 // [in_proj_out, d_model]  mixer.in_proj.weight
  Matrix convWeight;             // [conv_dim, d_conv]      mixer.conv1d.weight ([conv_dim,1,d_conv])
  std::vector<float> convBias;   // [conv_dim]    mixer.conv1d.bias
  std::vector<float> dtBias;     // [nheads]      mixer.dt_bias
  std::vector<float> aLog;       // [nheads]      mixer.A_log
  std::vector<float> d;          // [nheads]      mixer.D
  std::vector<float> gatedNorm;  // [d_inner]     mixer.norm.weight
  Matrix outProj;                // [d_model, d_inner]      mixer.out_proj.weight
};

struct Mamba2Weights {
  ModelConfig config;
  Matrix embedding;  // [vocab, d_model] backbone.embeddings.weight; also the tied LM head
  std::vector<LayerWeights> layers;
  std::vector<float> normF;  // [d_model] backbone.norm_f.weight
  // Untied LM head (lm_head.weight) when a checkpoint carries a different one;
  // empty (rows == 0) means tied to the embedding.
  Matrix lmHead;
  // true when out_proj was pre-multiplied by the normalized Hadamard of order
  // d_inner (models/rotation/RotationFolding.h): the model must then rotate
  // out_proj's input online (SPEC §3 HTU). Checkpoints never carry it.
  bool onlineHadamard = false;

  const Matrix& lmHeadMatrix() const { return lmHead.rows ? lmHead : embedding; }
};

// Allocates zeroed tensors of the right shapes for `config`.
Mamba2Weights allocateWeights(const ModelConfig& config);

}  // namespace specmamba
