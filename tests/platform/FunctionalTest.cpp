// Functional platform runs: data flow through the DRAM image and the fast
// units and the generated tokens equal Mamba2Int::generateGreedy's. One
// sc_start per test case (each test case runs in its own process).
#include <catch2/catch.hpp>

#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"
#include "sim/platform/Platform.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

void expectGoldenTokens(const nlohmann::json& j) {
  const Experiment e = test::experimentOf(j);
  SyntheticOptions so;
  so.seed = e.seed;
  QuantOptions qo;
  qo.precision = e.accel.precision;
  qo.rotation = e.rotation;
  const IntModelWeights q = quantizeModel(makeSyntheticWeights(e.model, so), qo);
  const Mamba2Int golden(q);
  IntState state = golden.initialState();
  const std::vector<int> expected = golden.generateGreedy(e.prompt, e.tokens, state);
  const RunResult r = runPlatform(e, &golden);
  CHECK(r.tokens == expected);
  const int promptPasses = (int(e.prompt.size()) + e.accel.tp - 1) / e.accel.tp;
  CHECK(r.passes == promptPasses + e.tokens - 1);
  CHECK(r.promptPasses == promptPasses);
  CHECK(r.cyclesPerToken > 0);
}

}  // namespace

TEST_CASE("platform tokens equal the golden model: tiny-64 W4A4", "[platform]") {
  expectGoldenTokens(test::platformExperiment("tiny-64", "w4a4"));
}

TEST_CASE("platform tokens equal the golden model: tiny-64 W8A8", "[platform]") {
  expectGoldenTokens(test::platformExperiment("tiny-64", "w8a8"));
}

TEST_CASE("platform tokens equal the golden model: tiny-256 W4A4", "[platform]") {
  expectGoldenTokens(test::platformExperiment("tiny-256", "w4a4"));
}

TEST_CASE("platform tokens equal the golden model: tiny-256 W8A8", "[platform]") {
  expectGoldenTokens(test::platformExperiment("tiny-256", "w8a8"));
}

TEST_CASE("platform tokens equal the golden model without reordering or tiling (release rotation)",
          "[platform]") {
  auto j = test::platformExperiment("tiny-256", "w4a4");
  j["rotation"] = "offline-only";
  j["accelerator"]["reordering"] = false;
  j["accelerator"]["tiling"] = false;
  j["accelerator"]["cop"] = 16;
  j["accelerator"]["pp"] = 4;  // an MMU cycle takes two 256-bit beats
  expectGoldenTokens(j);
}

TEST_CASE("platform tokens equal the golden model with the prompt in passes of TP tokens",
          "[platform]") {
  auto j = test::platformExperiment("tiny-256", "w4a4");
  j["accelerator"]["tp"] = 4;
  j["prompt"] = {1, 5, 9, 2, 7, 300, 11};  // passes of 4 and 3 tokens
  expectGoldenTokens(j);
}
