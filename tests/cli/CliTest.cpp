// The `specmamba` binary as a user runs it: good paths produce the promised
// output, and every bad input exits non-zero with a message naming it.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "models/config/EmbeddedConfigs.h"
#include "models/config/ModelConfig.h"
#include "models/weights/Checkpoint.h"
#include "models/weights/SyntheticWeights.h"
#include "tests/common/TestSupport.h"

using namespace specmamba;
using specmamba::test::runCli;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

std::string tinyModelFile(const TempDir& dir, const std::string& key, const nlohmann::json& value) {
  auto j = nlohmann::json::parse(locateConfig("models", "tiny-64").text);
  j[key] = value;
  const std::string path = dir.file("model.json");
  writeText(path, j.dump(2));
  return path;
}

void expectFailure(const std::string& args, const std::string& mentions) {
  CAPTURE(args);
  const auto r = runCli(args);
  CHECK(r.exitCode != 0);
  CHECK_THAT(r.err, Catch::Contains(mentions));
}

}  // namespace

TEST_CASE("info lists every model, platform and experiment", "[cli]") {
  const auto r = runCli("info");
  REQUIRE(r.exitCode == 0);
  for (const char* name : {"mamba2-130m", "mamba2-2.7b", "tiny-64", "vck190", "u280", "vhk158",
                           "lightmamba-vck190-w4a4"}) {
    CHECK_THAT(r.out, Catch::Contains(name));
  }
  const auto j = runCli("info --json");
  REQUIRE(j.exitCode == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["models"].size() >= 7);
  CHECK(doc["platforms"].size() == 3);
  CHECK(doc["experiments"].size() >= 4);
}

TEST_CASE("generate is deterministic and its JSON report is byte-identical per seed", "[cli]") {
  const std::string args = "generate --model tiny-64 --seed 5 --prompt-tokens 1,2,3 --tokens 12 --json --no-timing";
  const auto a = runCli(args), b = runCli(args);
  REQUIRE(a.exitCode == 0);
  CHECK(a.out == b.out);
  const auto doc = nlohmann::json::parse(a.out);
  CHECK(doc["generated_tokens"].size() == 12);
  CHECK(doc["model"] == "tiny-64");
  const auto other = runCli("generate --model tiny-64 --seed 6 --prompt-tokens 1,2,3 --tokens 12 --json --no-timing");
  CHECK(other.out != a.out);
}

TEST_CASE("generate with a checkpoint equals generate with the same synthetic weights", "[cli]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  SyntheticOptions so;
  so.seed = 9;
  saveCheckpoint(dir.file("w.safetensors"), makeSyntheticWeights(c, so), DType::F32);
  const auto synth = runCli("generate --model tiny-64 --seed 9 --tokens 10 --json --no-timing");
  const auto ckpt = runCli("generate --model tiny-64 --weights " + dir.file("w.safetensors") +
                           " --tokens 10 --json --no-timing");
  REQUIRE(synth.exitCode == 0);
  REQUIRE(ckpt.exitCode == 0);
  CHECK(nlohmann::json::parse(synth.out)["generated_tokens"] ==
        nlohmann::json::parse(ckpt.out)["generated_tokens"]);
}

TEST_CASE("bad command-line input exits non-zero naming the problem", "[cli]") {
  TempDir dir;
  expectFailure("generate --model mamba2-7b --tokens 2", "unknown model \"mamba2-7b\"");
  expectFailure("generate --model " + tinyModelFile(dir, "d_state", 100) + " --tokens 2",
                "/d_state: must be a power of two, got 100");
  expectFailure("generate --model " + tinyModelFile(dir, "dstate", 16) + " --tokens 2",
                "/dstate: unknown key");
  expectFailure("generate --model " + tinyModelFile(dir, "n_layer", -1) + " --tokens 2",
                "/n_layer: must be in [1, 1024], got -1");
  writeText(dir.file("broken.json"), "{\"name\": \"x\",\n \"d_model\": }");
  expectFailure("generate --model " + dir.file("broken.json") + " --tokens 2", "broken.json:2:");
  expectFailure("generate --model tiny-64 --tokens 0", "--tokens");
  expectFailure("generate --model tiny-64 --prompt-tokens 1,x --tokens 2", "--prompt-tokens");
  expectFailure("generate --model tiny-64 --prompt-tokens 999999 --tokens 2",
                "token 999999 out of range");
  expectFailure("generate --tokens 2", "--model");
  expectFailure("frobnicate", "frobnicate");
}

TEST_CASE("bad checkpoints exit non-zero naming file and tensor", "[cli]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  expectFailure("generate --model tiny-64 --weights " + dir.file("none.safetensors") + " --tokens 2",
                "none.safetensors: cannot open");
  writeText(dir.file("short.safetensors"), "1234");
  expectFailure("generate --model tiny-64 --weights " + dir.file("short.safetensors") + " --tokens 2",
                "truncated");
  // A checkpoint of another model: shapes differ.
  saveCheckpoint(dir.file("big.safetensors"), makeSyntheticWeights(loadModelConfig("tiny-256")),
                 DType::F16);
  expectFailure("generate --model tiny-64 --weights " + dir.file("big.safetensors") + " --tokens 2",
                "tensor backbone.embeddings.weight has shape [1024, 256], expected [1024, 64]");
  // Truncated data section of a real checkpoint.
  saveCheckpoint(dir.file("ok.safetensors"), makeSyntheticWeights(c), DType::BF16);
  std::string bytes = specmamba::test::readText(dir.file("ok.safetensors"));
  writeText(dir.file("cut.safetensors"), bytes.substr(0, bytes.size() - 100));
  expectFailure("generate --model tiny-64 --weights " + dir.file("cut.safetensors") + " --tokens 2",
                "outside the");
}

TEST_CASE("generate shows progress on stderr unless --quiet; stdout is the report either way",
          "[cli]") {
  const std::string args = "generate --model tiny-64 --tokens 4 --json --no-timing";
  const auto loud = runCli(args), quiet = runCli(args + " --quiet");
  REQUIRE(loud.exitCode == 0);
  REQUIRE(quiet.exitCode == 0);
  CHECK_THAT(loud.err, Catch::Contains("4/4 tokens"));
  CHECK(quiet.err.empty());
  CHECK(loud.out == quiet.out);
}
