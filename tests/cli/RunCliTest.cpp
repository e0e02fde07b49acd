// `specmamba run` as a user runs it: reports, determinism, the timing-only
// reuse rule, and bad input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/common/TestSupport.h"

using specmamba::test::runCli;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

nlohmann::json experiment(const std::string& model, const std::string& mode) {
  return nlohmann::json{
      {"name", "cli-test"},       {"model", model}, {"platform", "vck190"}, {"host", "vck190-apu"},
      {"weights", {{"seed", 2}}}, {"mode", mode},   {"prompt", {3, 4}},     {"tokens", 3}};
}

std::string write(const TempDir& dir, const std::string& name, const nlohmann::json& j) {
  writeText(dir.file(name), j.dump(2));
  return dir.file(name);
}

nlohmann::json runJson(const std::string& path) {
  const auto r = runCli("run " + path + " --quiet --json -");
  REQUIRE(r.exitCode == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("run reports a functional experiment, byte-identical JSON for the same config", "[cli]") {
  TempDir dir;
  const std::string exp = write(dir, "e.json", experiment("tiny-64", "functional"));
  const auto a = runCli("run " + exp + " --json " + dir.file("a.json"));
  const auto b = runCli("run " + exp + " --quiet --json " + dir.file("b.json"));
  REQUIRE(a.exitCode == 0);
  REQUIRE(b.exitCode == 0);
  CHECK(specmamba::test::readText(dir.file("a.json")) ==
        specmamba::test::readText(dir.file("b.json")));
  CHECK_THAT(a.out, Catch::Contains("generated"));
  CHECK_THAT(a.out, Catch::Contains("memory stall"));
  CHECK_THAT(a.err, Catch::Contains("specmamba run: "));
  CHECK(b.err.empty());
  const auto doc = nlohmann::json::parse(specmamba::test::readText(dir.file("a.json")));
  CHECK(doc["mode"] == "functional");
  CHECK(doc["generated_tokens"].size() == 3);
  for (const char* key :
       {"tokens_per_s", "cycles_per_token", "cycle_breakdown", "utilization", "dram"}) {
    CHECK(doc.contains(key));
  }
  for (const char* key : {"weights", "scales", "ssm_state", "conv_state", "activations", "total"}) {
    CHECK(doc["dram"]["bytes_per_token"].contains(key));
  }
  CHECK(doc["dram"]["achieved_gbs"].get<double>() <= doc["dram"]["bus_peak_gbs"].get<double>());
}

TEST_CASE("timing-only: reusing the steady-state layer period equals simulating every layer",
          "[cli]") {
  TempDir dir;
  auto j = experiment("mamba2-130m", "timing-only");
  j["reuse_after_layers"] = 3;
  const auto reused = runJson(write(dir, "reuse.json", j));
  j["reuse_after_layers"] = 0;
  const auto full = runJson(write(dir, "full.json", j));
  CHECK(reused["simulation"]["layer_period_reused"] == true);
  CHECK(full["simulation"]["layer_period_reused"] == false);
  CHECK(full["simulation"]["passes"] == 4);  // 2 prompt + 3 tokens - 1
  // Exact with a port whose timing does not depend on DRAM state (the
  // bus-only stub); a DRAM port may differ by a fraction of a refresh per layer.
  const double r = reused["cycles_per_token"].get<double>(), f = full["cycles_per_token"].get<double>();
  CHECK(r == Approx(f).epsilon(0.005));
  CHECK(reused["cycle_breakdown"]["mmu_busy"] == full["cycle_breakdown"]["mmu_busy"]);
  CHECK(reused["cycle_breakdown"]["ssmu_busy"] == full["cycle_breakdown"]["ssmu_busy"]);
  CHECK(reused["dram"]["bytes_per_token"] == full["dram"]["bytes_per_token"]);
}

TEST_CASE("timing-only: the functional and timing-only schedules agree", "[cli]") {
  TempDir dir;
  const auto functional = runJson(write(dir, "f.json", experiment("tiny-256", "functional")));
  const auto timing = runJson(write(dir, "t.json", experiment("tiny-256", "timing-only")));
  CHECK(functional["cycles_per_token"] == timing["cycles_per_token"]);
  CHECK(functional["cycle_breakdown"] == timing["cycle_breakdown"]);
}

TEST_CASE(
    "timing-only: reordering hides the SSMU under in_proj and an accelerator LM head costs its "
    "weights",
    "[cli]") {
  TempDir dir;
  auto j = experiment("mamba2-130m", "timing-only");
  const auto base = runJson(write(dir, "base.json", j));
  j["accelerator"] = {{"reordering", false}};
  const auto plain = runJson(write(dir, "plain.json", j));
  CHECK(plain["cycles_per_token"].get<double>() > 1.1 * base["cycles_per_token"].get<double>());
  CHECK(plain["cycle_breakdown"]["overlap"].get<double>() <
        base["cycle_breakdown"]["overlap"].get<double>());
  j["accelerator"] = {{"lm_head", "accelerator"}};
  const auto head = runJson(write(dir, "head.json", j));
  // 50,288 x 768 int4 weights more per token; the host keeps only the embedding.
  const double extra = head["dram"]["bytes_per_token"]["weights"].get<double>() -
                       base["dram"]["bytes_per_token"]["weights"].get<double>();
  CHECK(extra == 50288.0 * 768 / 2);
  CHECK(head["cycles_per_token"].get<double>() > base["cycles_per_token"].get<double>());
  CHECK(head["host_s_per_token"].get<double>() < base["host_s_per_token"].get<double>());
}

TEST_CASE("run rejects bad experiments naming file and pointer", "[cli]") {
  TempDir dir;
  auto bad = experiment("tiny-64", "functional");
  bad["accelerator"] = {{"pp", 64}};
  const auto r = runCli("run " + write(dir, "bad.json", bad) + " --quiet");
  CHECK(r.exitCode != 0);
  CHECK_THAT(r.err,
             Catch::Contains("bad.json: /accelerator/pp: must be a power of two dividing headdim"));
  const auto unknown = runCli("run no-such-experiment");
  CHECK(unknown.exitCode != 0);
  CHECK_THAT(unknown.err, Catch::Contains("unknown experiment \"no-such-experiment\""));
  auto typo = experiment("tiny-64", "functional");
  typo["acelerator"] = nlohmann::json::object();
  const auto t = runCli("run " + write(dir, "typo.json", typo));
  CHECK(t.exitCode != 0);
  CHECK_THAT(t.err, Catch::Contains("/acelerator: unknown key"));
  const auto missing = runCli("run");
  CHECK(missing.exitCode != 0);
}

TEST_CASE("the shipped experiments parse and the LightMamba set-ups run timing-only", "[cli]") {
  for (const char* name :
       {"lightmamba-vck190-w4a4", "lightmamba-vck190-w8a8", "lightmamba-u280-w4a4"}) {
    CAPTURE(name);
    const auto r = runCli(std::string("run ") + name + " --quiet --json -");
    REQUIRE(r.exitCode == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["mode"] == "timing-only");
    CHECK(doc["tokens_per_s"].get<double>() > 0);
  }
}

TEST_CASE("timing-only: TP > 1 runs the prompt in fewer weight passes", "[cli]") {
  TempDir dir;
  auto j = experiment("mamba2-130m", "timing-only");
  j["reuse_after_layers"] = 0;
  j["prompt"] = {1, 2, 3, 4, 5, 6, 7, 8};
  j["accelerator"] = {{"tp", 1}};
  const auto one = runJson(write(dir, "tp1.json", j));
  j["accelerator"] = {{"tp", 4}};
  const auto four = runJson(write(dir, "tp4.json", j));
  CHECK(one["simulation"]["prompt_passes"] == 8);
  CHECK(four["simulation"]["prompt_passes"] == 2);
  // The weights stream once per pass, the SSM still walks the tokens in
  // series (on 130m the SSMU, 24,576 cycles per token and layer, then
  // dominates): 2 passes of 4 tokens cost about half of 8 passes of 1.
  CHECK(four["simulation"]["prompt_cycles"].get<double>() <
        0.6 * one["simulation"]["prompt_cycles"].get<double>());
  // Decode: one token per pass either way.
  CHECK(four["cycles_per_token"].get<double>() ==
        Approx(one["cycles_per_token"].get<double>()).epsilon(0.005));
}
