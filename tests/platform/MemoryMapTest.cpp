// The memory stream and the DRAM image: SPEC §4's per-layer stream for
// mamba2-2.7b on the release set-up, and the image's packing round trip.
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

}  // namespace

TEST_CASE("the 2.7B layer stream matches the release's beat counts", "[platform]") {
  auto j = test::platformExperiment("mamba2-2.7b", "w4a4");
  j["mode"] = "timing-only";
  const Experiment e = test::experimentOf(j);
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
