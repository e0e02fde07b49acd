// Timing-only speculative runs of 2.7B size: the bytes the platform moved
// per models/speculative/Traffic.h category equal StepAccounting's, for each
// backtracking mode, with and without FIFO spilling.
#include <catch2/catch.hpp>

#include "tests/specplatform/SpecPlatformSupport.h"

using namespace specmamba;

namespace {

test::SpecRun runShipped(const std::string& backtrack, int tileHeads, int fifoKiB) {
  auto j = test::shippedExperiment("specmamba-vck190");
  j["tokens"] = 32;
  j["speculative"]["backtrack"] = backtrack;
  j["speculative"]["tile_heads"] = tileHeads;
  j["speculative"]["fifo_kib"] = fifoKiB;
  return test::runSpec(j);
}

void expectAccounted(const test::SpecRun& r) {
  for (int t = 0; t < int(Traffic::kCount); ++t) {
    INFO(trafficName(Traffic(t)));
    CHECK(r.result.measured.bytes[size_t(t)] == r.result.predicted.bytes[size_t(t)]);
  }
  CHECK(r.result.measured[Traffic::Weights] > 0);
  CHECK(r.result.generated == 32);
  // The port saw at least the accounted DRAM bytes (plus embeddings, conv weights).
  CHECK(r.result.portDramBytes >= uint64_t(r.result.measured.dramBytes()));
}

}  // namespace

TEST_CASE("2.7B timing-only: platform bytes equal StepAccounting (hybrid, FIFO on chip)",
          "[specplatform]") {
  const auto r = runShipped("hybrid", 8, 8192);
  CHECK_FALSE(r.result.fifoSpills);
  CHECK(r.result.measured[Traffic::FifoOnChip] > 0);
  expectAccounted(r);
}
TEST_CASE("2.7B timing-only: platform bytes equal StepAccounting (store, FIFO spilling)",
          "[specplatform]") {
  const auto r = runShipped("store", 0, 5600);
  CHECK(r.result.fifoSpills);
  CHECK(r.result.measured[Traffic::FifoSpill] > 0);
  expectAccounted(r);
}
TEST_CASE("2.7B timing-only: platform bytes equal StepAccounting (replay)", "[specplatform]") {
  const auto r = runShipped("replay", 8, 2048);
  CHECK(r.result.measured[Traffic::CachedInputsRead] > 0);
  expectAccounted(r);
}
