#include "sim/platform/units/SsmuGroupOps.h"

#include <vector>

namespace specmamba::platform {

using intops::kGroup;

void ssmuDt(const Mamba2Int& golden, const SsmGroupJob& job) {
  const ModelConfig& m = golden.config();
  const IntModelWeights& w = golden.weights();
  const IntLayerWeights& L = w.layers[size_t(job.layer)];
  const int h0 = job.h0, h1 = job.h1;
  std::vector<int32_t> dt(size_t(h1 - h0));
  const int32_t* dtRaw = job.zx + m.dInner + m.convDim();
  for (int h = h0; h < h1; ++h) {
    dt[size_t(h - h0)] = intops::lut(
        w.softplus, intops::fit32(int64_t(dtRaw[h]) + L.dtBias[size_t(h)], "dt + bias"));
  }
  job.in->dt.s[size_t(h0 / kGroup)] =
      uint8_t(intops::quantizeGroup(dt.data(), h1 - h0, 8, job.in->dt.q.data() + h0));
}

void ssmuGate(const Mamba2Int& golden, const SsmGroupJob& job, const int32_t* y) {
  const intops::Lut& silu = golden.weights().silu;
  const int P = golden.config().headdim;
  int32_t sz[kGroup];
  int8_t yq[kGroup], zq[kGroup];
  for (int i = job.h0 * P; i < job.h1 * P; i += kGroup) {
    for (int k = 0; k < kGroup; ++k) sz[k] = intops::lut(silu, job.zx[i + k]);
    const int ys = intops::quantizeGroup(y + i, kGroup, 8, yq);
    const int zs = intops::quantizeGroup(sz, kGroup, 8, zq);
    for (int k = 0; k < kGroup; ++k) job.yz[i + k] = intops::gateYz(yq[k], ys, zq[k], zs);
  }
}

}  // namespace specmamba::platform
