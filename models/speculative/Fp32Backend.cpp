#include "models/speculative/Fp32Backend.h"

#include <algorithm>

namespace specmamba {

Matrix Fp32Backend::embed(const std::vector<int>& tokens) const {
  Matrix r(int(tokens.size()), config().dModel);
  for (size_t i = 0; i < tokens.size(); ++i) m_.embed(tokens[i], r.row(int(i)));
  return r;
}

Matrix Fp32Backend::project(int layer, const Matrix& residual) const {
  Matrix zx;
  m_.projectBatch(layer, residual, zx);
  return zx;
}

std::vector<float> Fp32Backend::convInput(const Matrix& zx, int row) const {
  const float* raw = zx.row(row) + config().dInner;
  return std::vector<float>(raw, raw + config().convDim());
}

void Fp32Backend::pushConvInput(Window& w, const ConvIn& in) const {
  const size_t convDim = in.size();
  std::copy(w.begin() + long(convDim), w.end(), w.begin());
  std::copy(in.begin(), in.end(), w.end() - long(convDim));
}

Fp32Backend::SsmIn Fp32Backend::prepare(int layer, const Window& window, const ConvIn& in,
                                        const Matrix& zx, int row) const {
  const auto& c = config();
  SsmIn s;
  s.xbc.resize(size_t(c.convDim()));
  m_.convolve(layer, window.data(), in.data(), s.xbc.data());
  const float* dt = zx.row(row) + c.dInner + c.convDim();
  s.dtRaw.assign(dt, dt + c.nHeads);
  return s;
}

std::vector<float> Fp32Backend::sliceHeads(const SsmState& full, int h0, int h1) const {
  const size_t per = size_t(config().headdim) * size_t(config().dState);
  return std::vector<float>(full.begin() + long(h0 * per), full.begin() + long(h1 * per));
}

void Fp32Backend::storeHeads(SsmState& full, const SsmState& tile, int h0, int) const {
  const size_t per = size_t(config().headdim) * size_t(config().dState);
  std::copy(tile.begin(), tile.end(), full.begin() + long(h0 * per));
}

}  // namespace specmamba
