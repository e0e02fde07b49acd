// The memory stream and the DRAM image: SPEC §4's per-layer stream (MemoryMap)
// for mamba2-2.7b (W4A4, W8A8, against the release's counts) and
// mamba2-130m, and the image's packing round trip.
#include <catch2/catch.hpp>

#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"
#include "sim/platform/DramImage.h"
#include "sim/platform/MemoryMap.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

uint64_t beatsOf(const LayerLayout& L, StreamCategory c, bool write) {
  uint64_t n = 0;
  for (const auto& s : L.segments) n += s.category == c && s.write == write ? s.beats : 0;
  return n;
}

// The release set-up (VCK190) on `model`, timing-only (no weights needed).
Experiment timingOnly(const std::string& model, const std::string& precision) {
  auto j = test::platformExperiment(model, precision);
  j["mode"] = "timing-only";
  return test::experimentOf(j);
}

}  // namespace

TEST_CASE("the 2.7B layer stream matches the release's beat counts", "[platform]") {
  const Experiment e = timingOnly("mamba2-2.7b", "w4a4");
  const MemoryMap map(e.model, e.accel);
  const LayerLayout& L = map.layer(0);
  // SPEC §4: h state 21,760 beats (20,480 data + 1,280 exponents) each way,
  // conv weights 714, weights 627,840 beats in 2,453 loops, in_proj 1,322
  // tiles of 320 cycles, out_proj 320 tiles of 640.
  CHECK(beatsOf(L, StreamCategory::SsmState, false) == 21760);
  CHECK(beatsOf(L, StreamCategory::SsmState, true) == 21760);
  CHECK(beatsOf(L, StreamCategory::ConvWeights, false) == 714);
  CHECK(beatsOf(L, StreamCategory::Weights, false) == 627840);
  CHECK(L.weightSegment.size() == 2453);
  CHECK(L.inProj.tiles == 1322);
  CHECK(L.outProj.tiles == 320);
  CHECK(L.inProj.tileBytes / 32 == 320);
  CHECK(L.outProj.tileBytes / 32 == 640);
  // Ours: scales packed tightly, per linear layer (4,958 + 2,400; release: 3
  // beats per loop = 7,359), conv
  // state 3 slots (release streams 714 beats: 4 slots).
  CHECK(beatsOf(L, StreamCategory::Scales, false) == 7358);
  CHECK(beatsOf(L, StreamCategory::ConvState, false) == 536);
  // Strict order: state reads, then the weight loops, then the writes.
  CHECK(L.segments[size_t(L.convStateRead)].category == StreamCategory::ConvState);
  CHECK(L.segments[size_t(L.ssmStateRead)].category == StreamCategory::SsmState);
  CHECK(L.segments.back().write);
  CHECK(L.segmentThroughWeightBeat(627840) == L.weightSegment.back());
  CHECK(L.segmentThroughWeightBeat(1) == L.weightSegment.front());
}

TEST_CASE("the 2.7B W4A4 layer stream, segment by segment, against the release's 680,861 beats",
          "[platform]") {
  const Experiment e = timingOnly("mamba2-2.7b", "w4a4");
  const MemoryMap map(e.model, e.accel);
  const LayerLayout& L = map.layer(0);
  const auto& segs = L.segments;
  // 3 state reads, 2,453 loops of (scales, weights), 2 state writes.
  REQUIRE(segs.size() == 3 + 2 * 2453 + 2);
  CHECK(segs[0].category == StreamCategory::ConvState);
  CHECK(segs[1].category == StreamCategory::ConvWeights);
  CHECK(segs[2].category == StreamCategory::SsmState);
  CHECK(segs[2].beats == 21760);
  // The 7,358 scale beats shared out over the 2,453 loops: the first loop
  // gets 2, every other loop 3 (release: 3 in every loop, 7,359).
  CHECK(segs[3].category == StreamCategory::Scales);
  CHECK(segs[3].beats == 2);
  CHECK(segs[5].beats == 3);
  CHECK(segs[4].beats == 256);
  CHECK(segs[segs.size() - 3].beats == 128);  // the last loop's weights
  CHECK(segs[segs.size() - 2].write);
  CHECK(segs[segs.size() - 2].beats == 536);
  CHECK(segs.back().write);
  CHECK(segs.back().beats == 21760);
  const uint64_t reads = beatsOf(L, StreamCategory::ConvState, false) +
                         beatsOf(L, StreamCategory::ConvWeights, false) +
                         beatsOf(L, StreamCategory::SsmState, false) +
                         beatsOf(L, StreamCategory::Weights, false) +
                         beatsOf(L, StreamCategory::Scales, false);
  const uint64_t writes =
      beatsOf(L, StreamCategory::ConvState, true) + beatsOf(L, StreamCategory::SsmState, true);
  CHECK(beatsOf(L, StreamCategory::Scales, false) + beatsOf(L, StreamCategory::Weights, false) ==
        635198);  // release 635,199
  CHECK(reads == 658208);
  CHECK(writes == 536 + 21760);
  // 680,504 beats = the release's 680,861 less 2 x 178 conv state beats (3
  // slots, not 4) and 1 scale beat (tight packing): docs/validation.md,
  // "Every assumption". 21.78 MB per layer, 1.394 GB per token over 64 layers
  // (release 21,787,552 and 1,394,403,328 bytes).
  CHECK(reads + writes == 680504);
  CHECK(680861 - (reads + writes) == 2 * (714 - 536) + (7359 - 7358));
  CHECK((reads + writes) * 32 == 21776128);
  CHECK((reads + writes) * 32 * uint64_t(e.model.nLayer) == 1393672192);
}

TEST_CASE("W8A8 doubles the 2.7B weight beats, the scales stay as at W4A4", "[platform]") {
  const Experiment e = timingOnly("mamba2-2.7b", "w8a8");
  const MemoryMap map(e.model, e.accel);
  const LayerLayout& L = map.layer(0);
  CHECK(beatsOf(L, StreamCategory::Weights, false) == 2 * 627840);
  CHECK(L.weightSegment.size() == 4905);
  CHECK(L.segments[size_t(L.weightSegment.back())].beats == 256);  // 4,905 full loops
  // Scales are per 128-input group, whatever the weight width: 7,358 beats,
  // 1 or 2 per loop (docs/memory.md derives the release's W8A8 as 2 per loop:
  // 9,810).
  CHECK(beatsOf(L, StreamCategory::Scales, false) == 7358);
  CHECK(beatsOf(L, StreamCategory::SsmState, false) == 21760);
  uint64_t total = 0;
  for (const auto& s : L.segments) total += s.beats;
  CHECK(total == 1308344);  // release-style derivation: 1,311,152
}

TEST_CASE("mamba2-130m layer stream sizes and addresses", "[platform]") {
  const Experiment e = test::experimentOf(test::platformExperiment("mamba2-130m", "w4a4"));
  const MemoryMap map(e.model, e.accel);
  const LayerLayout& L = map.layer(0);
  CHECK(beatsOf(L, StreamCategory::ConvState, false) == 179);  // 3 x 1792 int8 + exponents
  CHECK(beatsOf(L, StreamCategory::ConvWeights, false) == 238);  // 4 x 1792 + exponents
  CHECK(beatsOf(L, StreamCategory::SsmState, false) == 6528);  // 24 x 64 x 128 + exponents
  CHECK(beatsOf(L, StreamCategory::Weights, false) == 58656);
  CHECK(L.weightSegment.size() == 230);
  CHECK(L.segments[size_t(L.weightSegment.back())].beats == 32);
  CHECK(beatsOf(L, StreamCategory::Scales, false) == 472 + 216);  // in_proj + out_proj
  // Weights and scales each stream through their regions in address order
  // (in_proj then out_proj, back to back); the states are written back where
  // they were read; layer 1 follows layer 0 in the image.
  uint64_t nextWeight = L.inProj.weights.address, nextScale = L.inProj.scales.address;
  for (const auto& s : L.segments) {
    if (s.category == StreamCategory::Weights) {
      CHECK(s.address == nextWeight);
      nextWeight = s.address + s.beats * 32;
    } else if (s.category == StreamCategory::Scales) {
      CHECK(s.address == nextScale);
      nextScale = s.address + s.beats * 32;
    }
  }
  CHECK(nextWeight == L.outProj.weights.address + L.outProj.weights.bytes);
  CHECK(L.outProj.scales.address + L.outProj.scales.bytes <= nextScale);
  CHECK(L.segments[size_t(L.convStateWrite)].address == L.convState.address);
  CHECK(L.segments[size_t(L.ssmStateWrite)].address == L.ssmState.address);
  CHECK(map.layer(1).convState.address == nextScale);
  for (const auto& s : L.segments) CHECK(s.address % 32 == 0);
}

TEST_CASE("reordered in_proj rows: dt, B, C, then x and z per group of 8 heads", "[platform]") {
  const Experiment e = test::experimentOf(test::platformExperiment("tiny-64", "w4a4"));
  const ModelConfig& m = e.model;
  const auto order = MemoryMap::inProjOrder(m, true);
  REQUIRE(int(order.size()) == m.inProjOut());
  const int D = m.dInner, N = m.dState, H = m.nHeads, P = m.headdim;
  CHECK(order[0] == 2 * D + 2 * N);              // dt of head 0
  CHECK(order[size_t(H)] == 2 * D);              // B
  CHECK(order[size_t(H + N)] == 2 * D + N);      // C
  CHECK(order[size_t(H + 2 * N)] == D);          // x of head 0
  CHECK(order[size_t(H + 2 * N + 8 * P)] == 0);  // z of head 0
  std::vector<int> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < m.inProjOut(); ++i) CHECK(sorted[size_t(i)] == i);
  CHECK(MemoryMap::inProjOrder(m, false)[5] == 5);
}

TEST_CASE("the DRAM image packs weights and states so that unpacking gives them back",
          "[platform]") {
  auto j = test::platformExperiment("tiny-64", "w4a4");
  j["accelerator"]["cop"] = 16;  // tiles of 16 rows, 2 beats per MMU cycle
  for (const char* precision : {"w4a4", "w8a8"}) {
    j["accelerator"]["precision"] = precision;
    const Experiment e = test::experimentOf(j);
    QuantOptions qo;
    qo.precision = e.accel.precision;
    const IntModelWeights q = quantizeModel(makeSyntheticWeights(e.model), qo);
    const Mamba2Int model(q);
    IntState state = model.initialState();
    // A non-trivial state: one decoded token.
    std::vector<float> logits(size_t(e.model.vocabSize));
    model.decode(7, state, logits.data());
    const MemoryMap map(e.model, e.accel);
    DramImage image(map, q, state);
    for (int l = 0; l < e.model.nLayer; ++l) {
      const LayerLayout& L = map.layer(l);
      const intops::IntLinear& W = q.layers[size_t(l)].inProj;
      for (int t = 0; t < L.inProj.tiles; ++t) {
        const intops::IntLinear T = image.linearTile(L.inProj, t, W);
        for (int r = 0; r < T.rows; ++r) {
          const int row = L.inProj.order[size_t(t * L.inProj.cop + r)];
          const auto at = [&](const auto& v, int n, int i) {
            return v[size_t(row) * size_t(n) + size_t(i)];
          };
          for (int c = 0; c < W.cols; ++c)
            REQUIRE(T.w[size_t(r * T.cols + c)] == at(W.w, W.cols, c));
          for (int g = 0; g < W.groupsPerRow(); ++g) {
            REQUIRE(T.s1[size_t(r * W.groupsPerRow() + g)] == at(W.s1, W.groupsPerRow(), g));
            REQUIRE(T.s2[size_t(r * W.groupsPerRow() + g)] == at(W.s2, W.groupsPerRow(), g));
          }
        }
      }
      const intops::IntConv& C = q.layers[size_t(l)].conv;
      const intops::IntConv back = image.convWeights(l, C);
      CHECK(back.w == C.w);
      CHECK(back.ws == C.ws);
      CHECK(image.convState(l) == state.layers[size_t(l)].conv);
      CHECK(image.ssmState(l) == state.layers[size_t(l)].ssm);
    }
  }
}
