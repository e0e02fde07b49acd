// `specmamba generate`: greedy decoding with the FP32 golden model or, with
// --int, the integer model of the accelerator datapath (SPEC §3).
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/common/Error.h"
#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "sim/cli/Commands.h"

namespace specmamba::cli {

namespace {

struct GenerateOptions {
  std::string model;
  std::string weights;
  uint64_t seed = 1;
  std::string prompt = "1";
  int tokens = 16;
  bool json = false;
  bool noTiming = false;
  bool integer = false;
  std::string precision = "w4a4";
  std::string rotation = "online";
};

int runGenerate(const GenerateOptions& o) {
  const ModelConfig config = loadModelConfig(o.model);
  const std::vector<int> prompt = parseIntList(o.prompt, "--prompt-tokens");
  for (int t : prompt) {
    if (t >= config.vocabSize) {
      throw Error(fmt::format("--prompt-tokens: token {} out of range [0, {}) for model {}", t,
                              config.vocabSize, config.name));
    }
  }
  const Mamba2Weights weights = loadOrSynthesize(config, o.weights, o.seed);
  QuantOptions qo;
  qo.precision = parsePrecision(o.precision);
  qo.rotation = parseRotationMode(o.rotation);

  std::vector<int> out;
  auto start = std::chrono::steady_clock::now();
  if (o.integer) {
    const IntModelWeights q = quantizeModel(weights, qo);
    const Mamba2Int model(q);
    IntState state = model.initialState();
    start = std::chrono::steady_clock::now();  // quantization is not decoding
    out = model.generateGreedy(prompt, o.tokens, state);
  } else {
    const Mamba2Fp32 model(weights);
    Mamba2State state = model.initialState();
    out = model.generateGreedy(prompt, o.tokens, state);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Prefill counts as prompt tokens processed; decode as generated tokens.
  const double tokensPerSecond = seconds > 0 ? double(prompt.size() + out.size() - 1) / seconds : 0;

  if (o.json) {
    nlohmann::ordered_json doc{{"model", config.name},
                               {"weights", o.weights.empty() ? "synthetic" : o.weights},
                               {"seed", o.seed},
                               {"precision", o.integer ? o.precision : "fp32"},
                               {"prompt_tokens", prompt},
                               {"generated_tokens", out}};
    if (o.integer) doc["rotation"] = o.rotation;
    if (!o.noTiming) {
      doc["host_wall_s"] = seconds;
      doc["host_tokens_per_s"] = tokensPerSecond;
    }
    fmt::print("{}\n", doc.dump(2));
  } else {
    fmt::print("model      {} ({}, seed {})\n", config.name,
               o.weights.empty() ? "synthetic weights" : o.weights, o.seed);
    fmt::print("prompt     {}\n", fmt::join(prompt, ","));
    fmt::print("generated  {}\n", fmt::join(out, ","));
    if (!o.noTiming) {
      fmt::print("host speed {:.2f} tokens/s ({} golden model, {:.3f} s wall)\n", tokensPerSecond,
                 o.integer ? fmt::format("integer {} rotation {}", o.precision, o.rotation) : std::string("FP32"),
                 seconds);
    }
  }
  return 0;
}

}  // namespace

void addGenerateCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("generate", "Greedy decoding with the FP32 (or, with --int, the integer) golden model");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option("--model", o->model, "Model name (see `specmamba info`) or path to a model JSON")
      ->required();
  cmd->add_option("--weights", o->weights,
                  "safetensors checkpoint (Hugging Face mamba2 names); default: synthetic weights");
  cmd->add_option("--seed", o->seed, "Seed of the synthetic weights")->capture_default_str();
  cmd->add_option("--prompt-tokens", o->prompt, "Prompt token ids, comma-separated")
      ->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Number of tokens to generate")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON instead of text");
  cmd->add_flag("--int", o->integer, "Run the integer (accelerator datapath) model instead of FP32");
  cmd->add_option("--precision", o->precision, "Integer model precision: w4a4 or w8a8")
      ->check(CLI::IsMember({"w4a4", "w8a8"}))
      ->capture_default_str();
  cmd->add_option("--rotation", o->rotation,
                  "Integer model rotation: online (paper), offline-only (release), none")
      ->check(CLI::IsMember({"online", "offline-only", "none"}))
      ->capture_default_str();
  cmd->add_flag("--no-timing", o->noTiming,
                "Leave out host wall-clock figures (byte-identical output for a given seed)");
  cmd->callback([&action, o]() { action = [o]() { return runGenerate(*o); }; });
}

}  // namespace specmamba::cli
