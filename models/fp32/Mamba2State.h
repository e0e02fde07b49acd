#pragma once
// Recurrent decode state of a Mamba2 model: per layer the conv window and
// the SSM state. Plain copyable values, so speculative decoding can snapshot
// (copy) and roll back (assign) them.
#include <vector>

#include "models/config/ModelConfig.h"

namespace specmamba {

struct LayerState {
  // The last d_conv-1 conv inputs (xBC before the conv), oldest first:
  // [(d_conv-1) * conv_dim].
  std::vector<float> conv;
  // SSM state h: [nheads][headdim][d_state].
  std::vector<float> ssm;

  bool operator==(const LayerState& o) const { return conv == o.conv && ssm == o.ssm; }
};

struct Mamba2State {
  std::vector<LayerState> layers;

  static Mamba2State zeros(const ModelConfig& c);
  bool operator==(const Mamba2State& o) const { return layers == o.layers; }
};

}  // namespace specmamba
