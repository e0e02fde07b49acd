// Model and platform configs: every shipped file loads and matches SPEC §2;
// every invalid value names the file, the JSON path and the allowed range.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "models/config/ModelConfig.h"
#include "sim/config/PlatformConfig.h"

using namespace specmamba;

namespace {

nlohmann::json tinyJson() {
  return nlohmann::json::parse(locateConfig("models", "tiny-64").text);
}

std::string modelError(const nlohmann::json& j) {
  try {
    parseModelConfig(j, "configs/models/x.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("shipped model configs match SPEC section 2", "[config]") {
  struct Row {
    const char* name;
    int dModel, layers, dInner, heads, inProjOut;
  };
  for (const Row& r : {Row{"mamba2-130m", 768, 24, 1536, 24, 3352},
                       Row{"mamba2-370m", 1024, 48, 2048, 32, 4384},
                       Row{"mamba2-780m", 1536, 48, 3072, 48, 6448},
                       Row{"mamba2-1.3b", 2048, 48, 4096, 64, 8512},
                       Row{"mamba2-2.7b", 2560, 64, 5120, 80, 10576}}) {
    CAPTURE(r.name);
    const ModelConfig c = loadModelConfig(r.name);
    CHECK(c.dModel == r.dModel);
    CHECK(c.nLayer == r.layers);
    CHECK(c.dInner == r.dInner);
    CHECK(c.nHeads == r.heads);
    CHECK(c.inProjOut() == r.inProjOut);
    CHECK(c.dState == 128);
    CHECK(c.headdim == 64);
    CHECK(c.vocabSize == 50288);
  }
  // SPEC §4: the 2.7B h-state stream is 21,760 beats of 32 B (int8 + 4-bit exponents).
  const ModelConfig big = loadModelConfig("mamba2-2.7b");
  CHECK((big.ssmStateElements() + big.ssmStateElements() / 16) / 32 == 21760);
  CHECK(embeddedConfigNames("models").size() >= 7);
}

TEST_CASE("shipped platform configs match SPEC section 6", "[config]") {
  CHECK(loadPlatformConfig("vck190").memory.peakBandwidthGBs == Approx(25.6));
  CHECK(loadPlatformConfig("vck190").accelClockMhz == 400);
  CHECK(loadPlatformConfig("u280").memory.peakBandwidthGBs == Approx(460.8));
  CHECK(loadPlatformConfig("u280").accelClockMhz == 200);
  CHECK(loadPlatformConfig("vhk158").memory.peakBandwidthGBs == Approx(819.2));
}

TEST_CASE("invalid model configs name file, path and allowed range", "[config]") {
  auto j = tinyJson();
  SECTION("d_state not a power of two") {
    j["d_state"] = 100;
    CHECK(modelError(j) == "configs/models/x.json: /d_state: must be a power of two, got 100");
  }
  SECTION("d_inner inconsistent with expand") {
    j["d_inner"] = 100;
    CHECK_THAT(modelError(j), Catch::StartsWith("configs/models/x.json: /d_inner: must equal "
                                                "expand * d_model"));
  }
  SECTION("nheads inconsistent with headdim") {
    j["nheads"] = 9;
    CHECK_THAT(modelError(j), Catch::Contains("/nheads: must equal d_inner / headdim"));
  }
  SECTION("out of range") {
    j["n_layer"] = 0;
    CHECK(modelError(j) == "configs/models/x.json: /n_layer: must be in [1, 1024], got 0");
  }
  SECTION("wrong type") {
    j["d_model"] = "64";
    CHECK_THAT(modelError(j), Catch::Contains("/d_model: must be an integer"));
  }
  SECTION("fractional integer") {
    j["d_conv"] = 3.5;
    CHECK_THAT(modelError(j), Catch::Contains("/d_conv: must be an integer"));
  }
  SECTION("unknown key") {
    j["d_sate"] = 16;
    CHECK_THAT(modelError(j), Catch::Contains("/d_sate: unknown key (allowed:"));
  }
  SECTION("missing key") {
    j.erase("headdim");
    CHECK_THAT(modelError(j), Catch::Contains(": /: missing required key \"headdim\""));
  }
  SECTION("ngroups other than 1") {
    j["ngroups"] = 2;
    CHECK_THAT(modelError(j), Catch::Contains("/ngroups: only ngroups = 1 is supported"));
  }
  SECTION("not an object") {
    CHECK_THAT(modelError(nlohmann::json::array()), Catch::Contains("must be an object"));
  }
}

TEST_CASE("invalid platform configs name file and path", "[config]") {
  auto j = nlohmann::json::parse(locateConfig("platforms", "vck190").text);
  auto err = [](const nlohmann::json& doc) {
    try {
      parsePlatformConfig(doc, "p.json");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  SECTION("peak bandwidth inconsistent with the interface") {
    j["memory"]["peak_bandwidth_gbs"] = 30;
    CHECK_THAT(err(j), Catch::StartsWith("p.json: /memory/peak_bandwidth_gbs: must equal"));
  }
  SECTION("unknown memory standard lists the valid ones") {
    j["memory"]["standard"] = "DDR5";
    CHECK_THAT(err(j), Catch::Contains("/memory/standard: must be one of [DDR4-3200"));
  }
  SECTION("AXI width not a power of two") {
    j["axi_width_bits"] = 200;
    CHECK_THAT(err(j), Catch::Contains("/axi_width_bits: must be a power of two"));
  }
}

TEST_CASE("JSON syntax errors give file, line and column", "[config]") {
  try {
    parseJsonText("{\n  \"a\": 1,\n  \"b\" 2\n}", "f.json");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(std::string(e.what()), Catch::StartsWith("f.json:3:"));
  }
}

TEST_CASE("unknown model name lists the known ones", "[config]") {
  try {
    loadModelConfig("mamba2-7b");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("unknown model \"mamba2-7b\"") &&
                                          Catch::Contains("mamba2-2.7b"));
  }
}
