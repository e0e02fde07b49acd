#include "sim/platform/LayerStream.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba::platform {

namespace {

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t alignUp(uint64_t a, uint64_t b) { return ceilDiv(a, b) * b; }

constexpr uint64_t EXPONENT_GROUP = 8;  // elements per 4-bit PoT exponent (SPEC §3)
constexpr uint64_t WEIGHT_GROUP = 128;  // weight inputs per group with two 3-bit exponents
constexpr uint64_t SCALE_BITS = 2 * 3;  // s1, s2 per weight group
constexpr uint64_t IMAGE_ALIGN = 4096;

// int8 values plus their 4-bit exponents, in bytes.
uint64_t withExponents(uint64_t values) { return values + ceilDiv(values, EXPONENT_GROUP * 2); }

}  // namespace

LayerStreamSizes layerStreamSizes(const ModelConfig& m, const LayerStreamOptions& o) {
  if (o.busBits < 8 || o.busBits % 8 != 0 || o.loopBeats < 1)
    throw Error(fmt::format("layer stream: bus {} bits, loop {} beats", o.busBits, o.loopBeats));
  const uint64_t beatBytes = uint64_t(o.busBits / 8);
  const uint64_t bits = uint64_t(precisionBits(o.precision));
  LayerStreamSizes s;
  s.convState = ceilDiv(withExponents(uint64_t(m.dConv) * uint64_t(m.convDim())), beatBytes);
  s.convWeights = s.convState;  // d_conv taps per channel, same packing
  s.ssmState = ceilDiv(withExponents(uint64_t(m.ssmStateElements())), beatBytes);
  const uint64_t weights =
      uint64_t(m.inProjOut()) * uint64_t(m.dModel) + uint64_t(m.dModel) * uint64_t(m.dInner);
  s.weightBeats = ceilDiv(weights * bits, uint64_t(o.busBits));
  const uint64_t loop = uint64_t(o.loopBeats);
  s.loops = ceilDiv(s.weightBeats, loop);
  s.lastLoopBeats = s.weightBeats - (s.loops - 1) * loop;
  const uint64_t groupsPerLoop = ceilDiv(loop * uint64_t(o.busBits) / bits, WEIGHT_GROUP);
  s.scaleBeatsPerLoop = ceilDiv(groupsPerLoop * SCALE_BITS, uint64_t(o.busBits));
  return s;
}

std::vector<StreamSegment> layerStream(const ModelConfig& m, const LayerStreamOptions& o,
                                       int layer) {
  if (layer < 0 || layer >= m.nLayer)
    throw Error(fmt::format("layer {} outside 0..{}", layer, m.nLayer - 1));
  const LayerStreamSizes s = layerStreamSizes(m, o);
  const uint64_t beatBytes = uint64_t(o.busBits / 8);
  const uint64_t readBlock = alignUp(s.reads() * beatBytes, IMAGE_ALIGN);
  const uint64_t writeBlock = alignUp(s.writes() * beatBytes, IMAGE_ALIGN);
  std::vector<StreamSegment> out;
  out.reserve(size_t(3 + 2 * s.loops + 2));
  uint64_t address = uint64_t(layer) * readBlock;
  const auto add = [&](uint64_t beats, bool write, StreamCategory c) {
    out.push_back({address, beats, write, c});
    address += beats * beatBytes;
  };
  add(s.convState, false, StreamCategory::ConvState);
  add(s.convWeights, false, StreamCategory::ConvWeights);
  add(s.ssmState, false, StreamCategory::SsmState);
  for (uint64_t i = 0; i < s.loops; ++i) {
    add(s.scaleBeatsPerLoop, false, StreamCategory::Scales);
    add(i + 1 == s.loops ? s.lastLoopBeats : uint64_t(o.loopBeats), false, StreamCategory::Weights);
  }
  address = uint64_t(m.nLayer) * readBlock + uint64_t(layer) * writeBlock;
  add(s.convState, true, StreamCategory::ConvState);
  add(s.ssmState, true, StreamCategory::SsmState);
  return out;
}

}  // namespace specmamba::platform
