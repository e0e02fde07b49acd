// SpecMamba's claims as measured deltas (docs/speculative.md, "Ablations"):
// each test runs `specmamba run` on variants of the shipped 2.7B VCK190
// experiment and asserts the sign of the difference; plus the report's
// fields and its baseline against a plain run of the same experiment.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/common/TestSupport.h"
#include "tests/specplatform/SpecPlatformSupport.h"

using specmamba::test::runCli;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

nlohmann::json base() {
  auto j = specmamba::test::shippedExperiment("specmamba-vck190");
  j["tokens"] = 64;
  return j;
}

nlohmann::json run(const TempDir& dir, const nlohmann::json& j) {
  const std::string path = dir.file("e.json");
  writeText(path, j.dump(2));
  const auto r = runCli("run " + path + " --quiet --json -");
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  return nlohmann::json::parse(r.out);
}

double acceleratorSecondsPerToken(const nlohmann::json& report) {
  return 1.0 / report["accelerator_tokens_per_s"].get<double>();
}

}  // namespace

TEST_CASE("specmamba-vck190 reports the speculative section", "[specplatform][cli]") {
  const auto r = runCli("run specmamba-vck190 --quiet --json -");
  REQUIRE(r.exitCode == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto& s = j.at("speculative");
  for (const char* key : {"mean_accepted_per_pass", "accepted_histogram", "cycles_per_step",
                          "utilization", "bytes_per_token", "baseline", "speedup"}) {
    INFO(key);
    CHECK(s.contains(key));
  }
  CHECK(s["matches_step_accounting"].get<bool>());
  CHECK(s["cycles_per_step"]["verify"].get<double>() > 0);
  CHECK(s["mean_accepted_per_pass"].get<double>() > 1.0);
  // Deterministic: the same config and seed give the same report.
  const auto again = runCli("run specmamba-vck190 --quiet --json -");
  CHECK(again.out == r.out);
}

TEST_CASE("the speculative baseline equals a plain run of the same experiment", "[specplatform][cli]") {
  TempDir dir;
  auto spec = base();
  const auto s = run(dir, spec);
  spec.erase("speculative");
  const auto plain = run(dir, spec);
  CHECK(s["speculative"]["baseline"]["cycles_per_token"] == plain["cycles_per_token"]);
}

TEST_CASE("ablation: hybrid backtracking is never slower than the better of store and replay by "
          "more than 1%",
          "[specplatform][cli]") {
  TempDir dir;
  std::map<std::string, double> t;
  for (const char* mode : {"store", "replay", "hybrid"}) {
    auto j = base();
    j["speculative"]["backtrack"] = mode;
    t[mode] = acceleratorSecondsPerToken(run(dir, j));
  }
  CHECK(t["hybrid"] <= 1.01 * std::min(t["store"], t["replay"]));
}

TEST_CASE("ablation: FIFO tiling keeps node states on chip and cuts DRAM bytes per token",
          "[specplatform][cli]") {
  TempDir dir;
  auto tiled = base(), untiled = base();
  tiled["speculative"]["tile_heads"] = 8;
  untiled["speculative"]["tile_heads"] = 0;
  const auto a = run(dir, tiled), b = run(dir, untiled);
  CHECK(a["speculative"]["fifo"]["onchip_bytes_needed"] < b["speculative"]["fifo"]["onchip_bytes_needed"]);
  CHECK(a["speculative"]["bytes_per_token"]["dram_total"].get<double>() <
        b["speculative"]["bytes_per_token"]["dram_total"].get<double>());
  CHECK(b["speculative"]["bytes_per_token"]["fifo_spill_dram"].get<double>() > 0);
}

TEST_CASE("ablation: overlapping the SSM under the linear layers cuts cycles per token",
          "[specplatform][cli]") {
  TempDir dir;
  auto on = base(), off = base();
  off["speculative"]["overlap"] = false;
  CHECK(acceleratorSecondsPerToken(run(dir, on)) < acceleratorSecondsPerToken(run(dir, off)));
}

TEST_CASE("ablation: tree shapes at equal acceptance profile: verification grows with the nodes",
          "[specplatform][cli]") {
  TempDir dir;
  double previous = 0;
  for (const char* tree : {"4", "2,2,2", "3,2,2,1", "6,2,1"}) {  // 5, 15, 34, 25 nodes
    auto j = base();
    j["speculative"]["tree"] = tree;
    const auto r = run(dir, j);
    const double verify = r["speculative"]["cycles_per_step"]["verify"].get<double>();
    INFO(tree);
    CHECK(verify > 0);
    if (std::string(tree) != "6,2,1") {
      CHECK(verify > previous);
      previous = verify;
    }
  }
}

TEST_CASE("specmamba-tiny-functional generates the plain run's tokens", "[specplatform][cli]") {
  TempDir dir;
  auto spec = specmamba::test::shippedExperiment("specmamba-tiny-functional");
  const auto s = run(dir, spec);
  spec.erase("speculative");
  const auto plain = run(dir, spec);
  CHECK(s["generated_tokens"] == plain["generated_tokens"]);
  CHECK(s["speculative"]["matches_step_accounting"].get<bool>());
}
