// GPU baselines: the roofline calibration against the published points, how
// predictions scale, bad baseline files, and `specmamba baseline` /
// `specmamba run --baseline`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "models/common/Error.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/baseline/GpuBaseline.h"
#include "tests/common/TestSupport.h"

using namespace specmamba;
using namespace specmamba::baseline;

TEST_CASE("the calibrated roofline reproduces the published GPU points", "[baseline]") {
  const std::vector<GpuSpec> gpus = shippedGpuSpecs();
  REQUIRE(gpus.size() >= 5);
  const GpuCalibration c = calibrate(gpus);
  CHECK(c.from == std::vector<std::string>{"rtx2070", "rtx4090"});
  CHECK(c.bandwidthEfficiency > 0.6);
  CHECK(c.bandwidthEfficiency < 0.95);
  const ModelConfig m = loadModelConfig("mamba2-2.7b");
  // 2.7 B FP16 parameters plus the state: about 5.6 GB a token.
  CHECK(fp16DecodeBytesPerToken(m) == Approx(2.0 * double(m.parameters())).epsilon(0.05));
  for (const char* name : {"rtx2070", "rtx4090"}) {
    INFO(name);
    const GpuSpec g = loadGpuSpec(name);
    REQUIRE(g.measured);
    const GpuPrediction p = predict(g, m, c);
    // One efficiency for both GPUs: each within 5% of its own measurement.
    CHECK(p.tokensPerS == Approx(g.measured->tokensPerS).epsilon(0.05));
    CHECK(p.measuredPower);
    CHECK(p.powerW == Approx(g.measured->tokensPerS / g.measured->tokensPerJ));
    CHECK(p.tokensPerJ == Approx(g.measured->tokensPerJ).epsilon(0.05));
    CHECK(p.tokensPerS < p.rooflineTokensPerS);
  }
}

TEST_CASE("GPU predictions follow bandwidth and bytes per token", "[baseline]") {
  const GpuCalibration c = calibrate(shippedGpuSpecs());
  const ModelConfig big = loadModelConfig("mamba2-2.7b"), small = loadModelConfig("mamba2-1.3b");
  const GpuSpec h100 = loadGpuSpec("h100-sxm5-80gb"), a100 = loadGpuSpec("a100-sxm4-80gb");
  const GpuPrediction ph = predict(h100, big, c), pa = predict(a100, big, c);
  CHECK(ph.tokensPerS / pa.tokensPerS == Approx(3350.0 / 2039.0));
  CHECK_FALSE(ph.measuredPower);
  CHECK(ph.powerW == Approx(c.powerFraction * 700));
  const GpuPrediction ps = predict(h100, small, c);
  CHECK(ps.tokensPerS / ph.tokensPerS ==
        Approx(fp16DecodeBytesPerToken(big) / fp16DecodeBytesPerToken(small)));
  // A measured GPU keeps its measured decode power on another model.
  const GpuSpec rtx = loadGpuSpec("rtx4090");
  CHECK(predict(rtx, small, c).powerW == Approx(predict(rtx, big, c).powerW));
}

TEST_CASE("bad GPU baseline files name the file and the field", "[baseline]") {
  using J = nlohmann::json;
  const J good = J::parse(locateConfig("baselines", "rtx4090").text);
  auto fails = [&](const std::function<void(J&)>& edit, const std::string& pointer,
                   const std::string& what) {
    J j = good;
    edit(j);
    INFO(pointer);
    CHECK_THROWS_WITH(parseGpuSpec(j, "my.json"), Catch::Contains("my.json") &&
                                                      Catch::Contains(pointer) &&
                                                      Catch::Contains(what));
  };
  fails([](J& j) { j["peak_bandwith_gbs"] = 1; }, "", "peak_bandwith_gbs");
  fails([](J& j) { j["peak_bandwidth_gbs"] = -5; }, "/peak_bandwidth_gbs", "");
  fails([](J& j) { j["tdp_w"] = "lots"; }, "/tdp_w", "");
  fails([](J& j) { j["measured"]["model"] = "mamba9"; }, "/measured/model", "mamba9");
  fails([](J& j) { j["measured"]["precision"] = "int8"; }, "/measured/precision", "fp16");
  fails([](J& j) { j["measured"]["tokens_per_j"] = 1e-6; }, "/measured/tokens_per_j", "TDP");
  fails([](J& j) { j["measured"].erase("source"); }, "/measured", "source");
  CHECK_THROWS_WITH(loadGpuSpec("rtx9090"), Catch::Contains("rtx2070"));
  std::vector<GpuSpec> none{loadGpuSpec("l4")};
  CHECK_THROWS_AS(calibrate(none), Error);
}

TEST_CASE("specmamba baseline and run --baseline", "[baseline][cli]") {
  const auto t = test::runCli("baseline");
  REQUIRE(t.exitCode == 0);
  CHECK_THAT(t.out, Catch::Contains("rtx4090") && Catch::Contains("138"));
  const auto j = test::runCli("baseline --model mamba2-1.3b --gpu l4 --json");
  REQUIRE(j.exitCode == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["model"] == "mamba2-1.3b");
  REQUIRE(doc["gpus"].size() == 1);
  CHECK(doc["gpus"][0]["gpu"] == "l4");
  CHECK_FALSE(doc["gpus"][0].contains("published_tokens_per_s"));

  const auto r = test::runCli("run lightmamba-vck190-w4a4 --quiet --baseline rtx4090 --json -");
  REQUIRE(r.exitCode == 0);
  const auto report = nlohmann::json::parse(r.out);
  const auto& b = report["baseline"];
  CHECK(b["gpu"] == "rtx4090");
  CHECK(b["speedup"].get<double>() ==
        Approx(report["tokens_per_s"].get<double>() / b["gpu_tokens_per_s"].get<double>()));
  CHECK(b["accelerator_speedup"].get<double>() ==
        Approx(report["accelerator_tokens_per_s"].get<double>() /
               b["gpu_tokens_per_s"].get<double>()));
  // Without --baseline the report is the golden one: no baseline section.
  const auto plain = test::runCli("run lightmamba-vck190-w4a4 --quiet --json -");
  CHECK_FALSE(nlohmann::json::parse(plain.out).contains("baseline"));
  const auto bad = test::runCli("run lightmamba-vck190-w4a4 --quiet --baseline nosuch");
  CHECK(bad.exitCode == 1);
  CHECK_THAT(bad.err, Catch::StartsWith("specmamba: error: unknown baseline \"nosuch\""));
}
