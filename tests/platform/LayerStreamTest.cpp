// The per-layer memory stream (SPEC §4) built from a model config.
#include <catch2/catch.hpp>

#include "models/config/ModelConfig.h"
#include "sim/platform/LayerStream.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

uint64_t beatsOf(const std::vector<StreamSegment>& segs, bool write) {
  uint64_t n = 0;
  for (const auto& s : segs)
    if (s.write == write) n += s.beats;
  return n;
}

}  // namespace

TEST_CASE("layer stream reproduces the release's 2.7B W4A4 beat counts", "[layerstream]") {
  const ModelConfig m = loadModelConfig("mamba2-2.7b");
  const LayerStreamSizes s = layerStreamSizes(m, {});
  CHECK(s.convState == 714);
  CHECK(s.convWeights == 714);
  CHECK(s.ssmState == 21760);
  CHECK(s.loops == 2453);
  CHECK(s.scaleBeatsPerLoop == 3);
  CHECK(s.lastLoopBeats == 128);
  CHECK(s.weightStream() == 635199);
  CHECK(s.total() == 680861);
  // 21.8 MB per layer, 1.394 GB per token over 64 layers.
  CHECK(s.total() * 32 == 21787552);
  CHECK(s.total() * 32 * uint64_t(m.nLayer) == 1394403328);

  const auto segs = layerStream(m, {}, 0);
  REQUIRE(segs.size() == 3 + 2 * 2453 + 2);
  CHECK(segs[0].category == StreamCategory::ConvState);
  CHECK(segs[1].category == StreamCategory::ConvWeights);
  CHECK(segs[2].beats == 21760);
  CHECK(segs[3].category == StreamCategory::Scales);
  CHECK(segs[3].beats == 3);
  CHECK(segs[4].beats == 256);
  CHECK(segs[segs.size() - 3].beats == 128);
  CHECK(segs[segs.size() - 2].write);
  CHECK(segs[segs.size() - 2].beats == 714);
  CHECK(segs.back().beats == 21760);
  CHECK(beatsOf(segs, false) == 680861 - 714 - 21760);
  CHECK(beatsOf(segs, true) == 714 + 21760);
}

TEST_CASE("layer stream: reads are sequential, writes in their own region", "[layerstream]") {
  const ModelConfig m = loadModelConfig("mamba2-130m");
  const auto l0 = layerStream(m, {}, 0);
  const auto l1 = layerStream(m, {}, 1);
  uint64_t next = 0;
  for (const auto& s : l0) {
    if (s.write) break;
    CHECK(s.address == next);
    next = s.address + s.beats * 32;
  }
  CHECK(l1[0].address % 4096 == 0);
  CHECK(l1[0].address >= next);
  const uint64_t readEnd = uint64_t(m.nLayer) * l1[0].address;
  CHECK(l0[l0.size() - 2].address == readEnd);
  CHECK(l1[l1.size() - 2].address > l0.back().address);
}

TEST_CASE("layer stream: W8A8 doubles the weight beats, two scale beats per loop",
          "[layerstream]") {
  const ModelConfig m = loadModelConfig("mamba2-2.7b");
  const LayerStreamSizes w4 = layerStreamSizes(m, {});
  LayerStreamOptions o;
  o.precision = Precision::W8A8;
  const LayerStreamSizes w8 = layerStreamSizes(m, o);
  CHECK(w8.weightBeats == 2 * w4.weightBeats);
  CHECK(w8.loops == 4905);
  CHECK(w8.lastLoopBeats == 256);
  CHECK(w8.scaleBeatsPerLoop == 2);  // 64 groups x 6 bits = 384 bits
  CHECK(w8.total() == 1311152);
  CHECK(w8.ssmState == w4.ssmState);
}

TEST_CASE("layer stream: mamba2-130m sizes", "[layerstream]") {
  const LayerStreamSizes s = layerStreamSizes(loadModelConfig("mamba2-130m"), {});
  CHECK(s.convState == 238);  // 4 x 1792 int8 + 4-bit exponents
  CHECK(s.ssmState == 6528);  // 24 x 64 x 128 + exponents
  CHECK(s.weightBeats == 58656);
  CHECK(s.loops == 230);
  CHECK(s.lastLoopBeats == 32);
}
