#include "sim/platform/MemoryMap.h"

#include <numeric>

namespace specmamba::platform {

namespace {

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
// int8 values plus one 4-bit exponent per 8 (exponents two per byte).
uint64_t int8WithExponents(uint64_t values) { return values + ceilDiv(values / 8, 2); }

std::vector<int> identity(int n) {
  std::vector<int> v(size_t(n), 0);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

}  // namespace

std::vector<int> MemoryMap::inProjOrder(const ModelConfig& m, bool reordering) {
  if (!reordering) return identity(m.inProjOut());
  const int D = m.dInner, N = m.dState, H = m.nHeads, P = m.headdim;
  const int x0 = D, b0 = 2 * D, dt0 = 2 * D + 2 * N;
  std::vector<int> order;
  for (int h = 0; h < H; ++h) order.push_back(dt0 + h);
  for (int n = 0; n < 2 * N; ++n) order.push_back(b0 + n);  // B then C
  for (int g = 0; g < H; g += 8) {
    const int r0 = g * P, r1 = std::min(H, g + 8) * P;
    for (int r = r0; r < r1; ++r) order.push_back(x0 + r);
    for (int r = r0; r < r1; ++r) order.push_back(r);  // z
  }
  return order;
}

Region MemoryMap::allocate(uint64_t bytes) {
  const Region r{total_, bytes};
  total_ += ceilDiv(bytes, uint64_t(accel_.busBytes())) * uint64_t(accel_.busBytes());
  return r;
}

uint64_t MemoryMap::beats(const Region& r) const {
  return ceilDiv(r.bytes, uint64_t(accel_.busBytes()));
}

LinearLayout MemoryMap::linear(int rows, int cols, std::vector<int> order, int64_t beatsBefore) {
  LinearLayout L;
  L.rows = rows;
  L.cols = cols;
  L.cop = accel_.cop;
  L.tiles = int(ceilDiv(uint64_t(rows), uint64_t(accel_.cop)));
  L.tileBytes = int64_t(accel_.cop) * cols * accel_.weightBits() / 8;
  L.order = std::move(order);
  L.weightBeatsBefore = beatsBefore;
  L.weights = allocate(uint64_t(rows) * uint64_t(cols) * uint64_t(accel_.weightBits()) / 8);
  L.weightBeats = int64_t(beats(L.weights));
  return L;
}

std::vector<int> MemoryMap::loops(const LinearLayout& a, const LinearLayout* b,
                                  std::vector<StreamSegment>& out) const {
  const uint64_t bus = uint64_t(accel_.busBytes());
  const int64_t W = a.weightBeats + (b ? b->weightBeats : 0);
  const int64_t SB = int64_t(beats(a.scales) + (b ? beats(b->scales) : 0));
  const int64_t loop = weightLoopBeats(accel_.busBytes());
  const int64_t n = int64_t(ceilDiv(uint64_t(W), uint64_t(loop)));
  std::vector<int> weightSegment;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s0 = i * SB / n, s1 = (i + 1) * SB / n;
    if (s1 > s0) {
      out.push_back({a.scales.address + uint64_t(s0) * bus, uint64_t(s1 - s0), false,
                     StreamCategory::Scales});
    }
    const int64_t w0 = i * loop, w1 = std::min(W, w0 + loop);
    weightSegment.push_back(int(out.size()));
    out.push_back({a.weights.address + uint64_t(w0) * bus, uint64_t(w1 - w0), false,
                   StreamCategory::Weights});
  }
  return weightSegment;
}

MemoryMap::MemoryMap(const ModelConfig& m, const AcceleratorConfig& a, uint64_t base)
    : model_(m), accel_(a), base_(base), total_(base) {
  const int K = m.dConv, C = m.convDim(), N = m.dState, D = m.dInner;
  const auto scaleRegion = [&](const LinearLayout& L) {
    return allocate(ceilDiv(uint64_t(L.rows) * uint64_t(L.cols / std::min(128, L.cols)) * 6, 8));
  };
  embeddingIn_ = allocate(uint64_t(a.tp) * uint64_t(m.dModel) * 4);
  residualOut_ = allocate(uint64_t(m.dModel) * 4);
  for (int l = 0; l < m.nLayer; ++l) {
    LayerLayout L;
    L.convState = allocate(int8WithExponents(uint64_t(K - 1) * C));
    L.convWeights = allocate(int8WithExponents(uint64_t(K) * C));
    L.ssmState = allocate(int8WithExponents(uint64_t(N) * D));
    L.inProj = linear(m.inProjOut(), m.dModel, inProjOrder(m, a.reordering), 0);
    L.outProj = linear(m.dModel, D, identity(m.dModel), L.inProj.weightBeats);
    L.inProj.scales = scaleRegion(L.inProj);
    L.outProj.scales = scaleRegion(L.outProj);
    auto& s = L.segments;
    const auto add = [&](const Region& r, bool write, StreamCategory c) {
      s.push_back({r.address, beats(r), write, c});
      return int(s.size()) - 1;
    };
    L.convStateRead = add(L.convState, false, StreamCategory::ConvState);
    L.convWeightsRead = add(L.convWeights, false, StreamCategory::ConvWeights);
    L.ssmStateRead = add(L.ssmState, false, StreamCategory::SsmState);
    L.firstWeight = int(s.size());
    L.weightSegment = loops(L.inProj, &L.outProj, s);
    L.loopBeats = weightLoopBeats(a.busBytes());
    L.convStateWrite = add(L.convState, true, StreamCategory::ConvState);
    L.ssmStateWrite = add(L.ssmState, true, StreamCategory::SsmState);
    layers_.push_back(std::move(L));
  }
  if (a.lmHead == LmHeadPlacement::Accelerator) {
    lmHead_ = linear(m.vocabSize, m.dModel, identity(m.vocabSize), 0);
    lmHead_.scales = scaleRegion(lmHead_);
    lmHeadWeightSegment_ = loops(lmHead_, nullptr, lmHeadSegments_);
  }
}

}  // namespace specmamba::platform
