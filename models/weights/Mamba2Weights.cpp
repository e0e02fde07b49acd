#include "models/weights/Mamba2Weights.h"

namespace specmamba {

Mamba2Weights allocateWeights(const ModelConfig& c) {
  Mamba2Weights w;
  w.config = c;
  w.embedding = Matrix(c.vocabSize, c.dModel);
  w.normF.assign(size_t(c.dModel), 1.0f);
  w.layers.resize(size_t(c.nLayer));
  for (auto& l : w.layers) {
    l.norm.assign(size_t(c.dModel), 1.0f);
    l.inProj = Matrix(c.inProjOut(), c.dModel);
    l.convWeight = Matrix(c.convDim(), c.dConv);
    l.convBias.assign(size_t(c.convDim()), 0.0f);
    l.dtBias.assign(size_t(c.nHeads), 0.0f);
    l.aLog.assign(size_t(c.nHeads), 0.0f);
    l.d.assign(size_t(c.nHeads), 1.0f);
    l.gatedNorm.assign(size_t(c.dInner), 1.0f);
    l.outProj = Matrix(c.dModel, c.dInner);
  }
  return w;
}

}  // namespace specmamba
