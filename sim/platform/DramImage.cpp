#include "sim/platform/DramImage.h"

#include <cstring>

namespace specmamba::platform {

namespace {

using intops::kGroup;

// Bit fields packed LSB first from a byte address.
void putBits(uint8_t* base, uint64_t bit, unsigned value, int width) {
  for (int i = 0; i < width; ++i, ++bit) {
    const uint8_t mask = uint8_t(1u << (bit % 8));
    base[bit / 8] = uint8_t((value >> i) & 1u ? base[bit / 8] | mask : base[bit / 8] & ~mask);
  }
}
unsigned getBits(const uint8_t* base, uint64_t bit, int width) {
  unsigned v = 0;
  for (int i = 0; i < width; ++i, ++bit) v |= unsigned((base[bit / 8] >> (bit % 8)) & 1u) << i;
  return v;
}
int signExtend(unsigned v, int bits) { return int(v ^ (1u << (bits - 1))) - (1 << (bits - 1)); }

// Element e of a packed array of 4- or 8-bit weights (4-bit: low nibble first).
void putWeight(uint8_t* base, uint64_t e, int8_t v, int bits) {
  if (bits == 8) {
    base[e] = uint8_t(v);
  } else {
    uint8_t& b = base[e / 2];
    b = e % 2 ? uint8_t((b & 0x0F) | (unsigned(v) & 0xFu) << 4)
              : uint8_t((b & 0xF0) | (unsigned(v) & 0xFu));
  }
}
int8_t getWeight(const uint8_t* base, uint64_t e, int bits) {
  if (bits == 8) return int8_t(base[e]);
  return int8_t(signExtend(e % 2 ? base[e / 2] >> 4 : base[e / 2] & 0xFu, 4));
}

}  // namespace

DramImage::DramImage(const MemoryMap& map, const IntModelWeights& w, const IntState& state)
    : map_(map), bytes_(map.totalBytes() - map.base(), 0) {
  for (int l = 0; l < map.model().nLayer; ++l) {
    const LayerLayout& L = map.layer(l);
    const IntLayerWeights& lw = w.layers[size_t(l)];
    packLinear(L.inProj, lw.inProj);
    packLinear(L.outProj, lw.outProj);
    packInt8(L.convWeights.address, lw.conv.w.data(), lw.conv.w.size(), lw.conv.ws.data());
    storeConvState(l, state.layers[size_t(l)].conv);
    storeSsmState(l, state.layers[size_t(l)].ssm);
  }
}

void DramImage::packInt8(uint64_t address, const int8_t* q, size_t n, const uint8_t* s) {
  std::memcpy(byte(address), q, n);
  for (size_t g = 0; g < n / kGroup; ++g) putBits(byte(address) + n, g * 4, s[g], 4);
}

void DramImage::unpackInt8(uint64_t address, int8_t* q, size_t n, uint8_t* s) const {
  std::memcpy(q, at(address), n);
  for (size_t g = 0; g < n / kGroup; ++g)
    s[g] = uint8_t(getBits(at(address) + n, g * 4, 4));
}

void DramImage::packLinear(const LinearLayout& L, const intops::IntLinear& W) {
  const int bits = W.bits, cip = map_.accel().cip, G = W.groupsPerRow();
  uint8_t* wBase = byte(L.weights.address);
  uint8_t* sBase = byte(L.scales.address);
  for (int t = 0; t < L.tiles; ++t) {
    const int rows = L.tileRows(t);
    for (int k = 0; k < W.cols / cip; ++k) {
      for (int r = 0; r < rows; ++r) {
        const int row = L.order[size_t(t * L.cop + r)];
        for (int i = 0; i < cip; ++i) {
          const uint64_t e = (uint64_t(k) * rows + r) * cip + i;
          putWeight(wBase + L.tileOffset(t), e, W.w[size_t(row) * W.cols + k * cip + i], bits);
        }
      }
    }
  }
  for (int s = 0; s < L.rows; ++s) {
    const int row = L.order[size_t(s)];
    for (int g = 0; g < G; ++g) {
      const size_t at = size_t(row) * G + g;
      putBits(sBase, (uint64_t(s) * G + g) * 6, unsigned(W.s1[at]) | unsigned(W.s2[at]) << 3, 6);
    }
  }
}

intops::IntLinear DramImage::linearTile(const LinearLayout& L, int t,
                                        const intops::IntLinear& proto) const {
  intops::IntLinear T;
  T.rows = L.tileRows(t);
  T.cols = proto.cols;
  T.bits = proto.bits;
  T.group = proto.group;
  T.outShift = proto.outShift;
  T.weightFrac = proto.weightFrac;
  T.accBits = proto.accBits;
  const int cip = map_.accel().cip, G = T.groupsPerRow();
  T.w.resize(size_t(T.rows) * T.cols);
  T.s1.resize(size_t(T.rows) * G);
  T.s2.resize(size_t(T.rows) * G);
  const uint8_t* wBase = at(L.weights.address);
  const uint8_t* sBase = at(L.scales.address);
  const uint8_t* tile = wBase + L.tileOffset(t);
  for (int k = 0; k < T.cols / cip; ++k) {
    for (int r = 0; r < T.rows; ++r) {
      for (int i = 0; i < cip; ++i) {
        const uint64_t e = (uint64_t(k) * T.rows + r) * cip + i;
        T.w[size_t(r) * T.cols + k * cip + i] = getWeight(tile, e, T.bits);
      }
    }
  }
  for (int r = 0; r < T.rows; ++r) {
    for (int g = 0; g < G; ++g) {
      const unsigned v = getBits(sBase, (uint64_t(t * L.cop + r) * G + g) * 6, 6);
      T.s1[size_t(r) * G + g] = uint8_t(v & 7u);
      T.s2[size_t(r) * G + g] = uint8_t(v >> 3);
    }
  }
  return T;
}

intops::IntConv DramImage::convWeights(int layer, const intops::IntConv& onChip) const {
  intops::IntConv c = onChip;
  unpackInt8(map_.layer(layer).convWeights.address, c.w.data(), c.w.size(), c.ws.data());
  return c;
}

intops::ConvWindow DramImage::convState(int layer) const {
  const ModelConfig& m = map_.model();
  const size_t n = size_t(m.dConv - 1) * size_t(m.convDim());
  intops::ConvWindow w{std::vector<int8_t>(n), std::vector<uint8_t>(n / kGroup)};
  unpackInt8(map_.layer(layer).convState.address, w.q.data(), n, w.s.data());
  return w;
}

void DramImage::storeConvState(int layer, const intops::ConvWindow& w) {
  packInt8(map_.layer(layer).convState.address, w.q.data(), w.q.size(), w.s.data());
}

intops::SsmState DramImage::ssmState(int layer) const {
  const ModelConfig& m = map_.model();
  const size_t n = size_t(m.dState) * size_t(m.dInner);
  intops::SsmState s{std::vector<int8_t>(n), std::vector<uint8_t>(n / kGroup)};
  unpackInt8(map_.layer(layer).ssmState.address, s.h.data(), n, s.s.data());
  return s;
}

void DramImage::storeSsmState(int layer, const intops::SsmState& s) {
  packInt8(map_.layer(layer).ssmState.address, s.h.data(), s.h.size(), s.s.data());
}

void DramImage::writeWords(const Region& r, const int32_t* v, int n) {
  std::memcpy(byte(r.address), v, size_t(n) * 4);
}

void DramImage::readWords(const Region& r, int32_t* v, int n) const {
  std::memcpy(v, at(r.address), size_t(n) * 4);
}

}  // namespace specmamba::platform
