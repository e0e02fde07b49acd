#include "models/fp32/Mamba2State.h"

namespace specmamba {

Mamba2State Mamba2State::zeros(const ModelConfig& c) {
  Mamba2State s;
  s.layers.resize(size_t(c.nLayer));
  for (auto& l : s.layers) {
    l.conv.assign(size_t(c.convStateElements()), 0.0f);
    l.ssm.assign(size_t(c.ssmStateElements()), 0.0f);
  }
  return s;
}

}  // namespace specmamba
