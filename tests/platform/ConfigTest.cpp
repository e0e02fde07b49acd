// Experiment validation: every impossible combination is a ConfigError that
// names the file, the JSON pointer and what is allowed.
#include <catch2/catch.hpp>

#include "models/common/Error.h"
#include "sim/platform/HostModel.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

void expectError(const nlohmann::json& j, const std::string& mentions) {
  CAPTURE(j.dump());
  try {
    test::experimentOf(j);
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains(mentions));
  }
}

nlohmann::json with(const std::string& model, const nlohmann::json& accel) {
  auto j = test::platformExperiment(model, "w4a4");
  j["accelerator"].update(accel);
  return j;
}

}  // namespace

TEST_CASE("a valid experiment fills defaults from the platform", "[platform]") {
  const Experiment e = test::experimentOf(test::platformExperiment("tiny-64", "w8a8"));
  CHECK(e.accel.clockMhz == 400);
  CHECK(e.accel.busBits == 256);
  CHECK(e.accel.precision == Precision::W8A8);
  CHECK(e.accel.unitImpl(UnitKind::Mmu) == "fast");
  CHECK(e.host.name == "vck190-apu");
  CHECK(e.prompt == std::vector<int>{1, 5, 9});
}

TEST_CASE("impossible accelerator parameters are errors naming file and pointer", "[platform]") {
  expectError(
      with("tiny-64", {{"cop", 3}}),
      "test.json: /accelerator/cop: a beat must hold whole MMU cycles or an MMU cycle whole beats");
  expectError(with("tiny-64", {{"bus_bits", 96}}),
              "test.json: /accelerator/bus_bits: must be a power of two in [32, 256]");
  expectError(with("tiny-64", {{"bus_bits", 512}}),
              "/accelerator/bus_bits: must be a power of two in [32, 256]");
  expectError(with("tiny-64", {{"pp", 32}}),
              "/accelerator/pp: must be a power of two dividing headdim 16 of tiny-64, got 32");
  expectError(with("tiny-64", {{"pp", 3}}), "/accelerator/pp:");
  expectError(with("tiny-64", {{"cip", 12}}), "/accelerator/cip: must be a multiple of 8");
  expectError(with("tiny-64", {{"cip", 256}}), "/accelerator/cip:");
  expectError(with("tiny-64", {{"tp", 64}, {"buffers", {{"activation_kib", 16}}}}),
              "/accelerator/tp: TP = 64 tokens of in_proj output");
  expectError(with("tiny-64", {{"buffers", {{"weight_kib", 1}}}}),
              "/accelerator/buffers/weight_kib: 1 KiB cannot hold one MMU tile");
  expectError(
      with("mamba2-2.7b", {{"tiling", false}}),
      "/accelerator: buffers.state_kib (default): 2196 KiB cannot hold the SSM state and untiled");
  expectError(with("tiny-64", {{"tp", 0}}), "/accelerator/tp: must be in [1, 256], got 0");
  expectError(with("tiny-64", {{"precision", "w2a2"}}), "/accelerator/precision:");
  expectError(with("tiny-64", {{"cop_", 8}}), "/accelerator/cop_: unknown key");
  expectError(with("tiny-64", {{"buffers", {{"weights_kib", 8}}}}),
              "/accelerator/buffers/weights_kib: unknown key");
  expectError(with("tiny-64", {{"units", {{"mmu", "rtl"}}}}),
              "/accelerator/units: mmu: implementation \"rtl\" is not built (built: fast)");
  expectError(with("tiny-64", {{"units", {{"mmu", "verilog"}}}}), "/accelerator/units/mmu:");
  expectError(with("tiny-64", {{"lm_head", "accelerator"}}),
              "/accelerator/lm_head: \"accelerator\" runs timing-only");
}

TEST_CASE("bad experiment fields are errors naming file and pointer", "[platform]") {
  auto j = test::platformExperiment("tiny-64", "w4a4");
  j["model"] = "mamba2-7b";
  expectError(j, "test.json: /model: unknown model \"mamba2-7b\"");
  j = test::platformExperiment("tiny-64", "w4a4");
  j["prompt"] = {1, 5000};
  expectError(j, "test.json: /prompt/1: must be in [0, 1023], got 5000");
  j = test::platformExperiment("tiny-64", "w4a4");
  j["reuse_after_layers"] = 1;
  expectError(j, "/reuse_after_layers: must be 0 (no reuse) or >= 2");
  j = test::platformExperiment("tiny-64", "w4a4");
  j["mode"] = "fast";
  expectError(j, "/mode:");
  j = test::platformExperiment("tiny-64", "w4a4");
  j["host"] = "cray";
  expectError(j, "/host: unknown host \"cray\"");
  // A layer the timing-only reuse rule does not simulate cannot be traced.
  j = test::platformExperiment("mamba2-130m", "w4a4");
  j["mode"] = "timing-only";
  j["trace"] = {{"layer", 5}, {"file", "x.vcd"}};
  expectError(j, "/trace/layer: layer 5 is not simulated");
  j = test::platformExperiment("tiny-64", "w4a4");
  j["tokenz"] = 3;
  expectError(j, "/tokenz: unknown key");
}

TEST_CASE("the host model charges the LM head GEMV at the slower of compute and memory",
          "[platform]") {
  const HostModel h = loadHostModel("vck190-apu");
  const ModelConfig m = loadModelConfig("mamba2-2.7b");
  // 50,288 x 2,560 FP32 weights = 515 MB at 6 GB/s, plus the 50 us round trip.
  const double lmHead = 50288.0 * 2560 * 4 / 6e9;
  CHECK(h.secondsPerToken(m, true) == Approx(lmHead + 2560.0 * 4 / 6e9 + 50e-6).epsilon(1e-9));
  CHECK(h.secondsPerToken(m, false) == Approx(2560.0 * 4 / 6e9 + 50e-6).epsilon(1e-9));
  CHECK_FALSE(h.source.empty());
  CHECK_THROWS_WITH(parseHostModel(nlohmann::json{{"name", "x"},
                                                  {"cpu", "y"},
                                                  {"gflops", 1},
                                                  {"memory_gbs", 1},
                                                  {"lm_head_bits", 12},
                                                  {"source", "z"}},
                                   "h.json"),
                    Catch::Contains("h.json: /lm_head_bits: must be 8, 16 or 32"));
}
