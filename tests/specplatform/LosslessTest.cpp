// Functional speculative runs on the platform: both models on the units,
// greedy acceptance; the tokens must equal the target's own greedy decoding
// for every backtracking mode and tree shape, and the DRAM bytes the
// platform moved must equal StepAccounting's prediction. One sc_start per
// test case (each its own process).
#include <catch2/catch.hpp>

#include "tests/specplatform/SpecPlatformSupport.h"

using namespace specmamba;
using specmamba::test::specExperiment;

namespace {

void expectLossless(nlohmann::json j, bool mustAccept) {
  const test::SpecRun r = test::runSpec(j);
  CHECK(r.result.tokens == r.targetOnly);
  CHECK(r.result.measured.bytes == r.result.predicted.bytes);
  CHECK(r.result.verifyCycles > 0);
  CHECK(r.result.draftCycles > 0);
  int accepted = 0;
  for (int k : r.result.accepted) accepted += k;
  // A draft equal to the target agrees with it on every node it expands.
  if (mustAccept) CHECK(accepted == int(r.result.accepted.size()) * r.experiment.speculative->tree.maxDepth());
}

}  // namespace

// Draft == target (same weights): every step accepts the whole first-child path.
TEST_CASE("lossless: store (DRAM), chain 4, agreeing draft", "[specplatform]") {
  auto j = specExperiment("tiny-256", "tiny-256", 1, "4", "store", 8);
  j["speculative"]["node_store_kib"] = 0;
  expectLossless(j, true);
}
TEST_CASE("lossless: store (on chip), 2,2,1, agreeing draft", "[specplatform]") {
  expectLossless(specExperiment("tiny-256", "tiny-256", 1, "2,2,1", "store", 8), true);
}
TEST_CASE("lossless: replay, 3,2, agreeing draft, untiled", "[specplatform]") {
  expectLossless(specExperiment("tiny-256", "tiny-256", 1, "3,2", "replay", 0), true);
}
TEST_CASE("lossless: replay, uneven tree, agreeing draft", "[specplatform]") {
  expectLossless(specExperiment("tiny-256", "tiny-256", 1, "p:-1,0,0,1,1,2,4", "replay", 8), false);
}
TEST_CASE("lossless: hybrid, wide 6,1, agreeing draft (verify in two TP groups)", "[specplatform]") {
  expectLossless(specExperiment("tiny-256", "tiny-256", 1, "6,1", "hybrid", 8), true);
}
// A different draft: mostly rejected paths, the bonus token carries the run.
TEST_CASE("lossless: store, 3,2,2,1, disagreeing draft", "[specplatform]") {
  auto j = specExperiment("tiny-256", "tiny-64", 2, "3,2,2,1", "store", 8);
  j["speculative"]["node_store_kib"] = 0;
  expectLossless(j, false);
}
TEST_CASE("lossless: replay, chain 3, disagreeing draft", "[specplatform]") {
  expectLossless(specExperiment("tiny-256", "tiny-64", 2, "3", "replay", 0), false);
}
TEST_CASE("lossless: hybrid, uneven tree, disagreeing draft, overlap off", "[specplatform]") {
  auto j = specExperiment("tiny-256", "tiny-64", 2, "p:-1,0,0,1,1,2,4", "hybrid", 8);
  j["speculative"]["overlap"] = false;
  expectLossless(j, false);
}
TEST_CASE("lossless: mamba2-130m target, replay, 2,1", "[specplatform]") {
  auto j = specExperiment("mamba2-130m", "mamba2-130m", 1, "2,1", "replay", 8);
  j["tokens"] = 4;
  j["speculative"]["fifo_kib"] = 512;
  expectLossless(j, true);
}
TEST_CASE("lossless: mamba2-130m target, store, 2,1", "[specplatform]") {
  auto j = specExperiment("mamba2-130m", "mamba2-130m", 1, "2,1", "store", 8);
  j["tokens"] = 4;
  j["speculative"]["fifo_kib"] = 512;
  expectLossless(j, true);
}
