// `specmamba generate`: greedy decoding with the FP32 golden model.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/common/Error.h"
#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/weights/Checkpoint.h"
#include "models/weights/SyntheticWeights.h"
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
  SyntheticOptions synth;
  synth.seed = o.seed;
  const Mamba2Weights weights =
      o.weights.empty() ? makeSyntheticWeights(config, synth) : loadCheckpoint(o.weights, config);
  const Mamba2Fp32 model(weights);
  Mamba2State state = model.initialState();

  const auto start = std::chrono::steady_clock::now();
  const std::vector<int> out = model.generateGreedy(prompt, o.tokens, state);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Prefill counts as prompt tokens processed; decode as generated tokens.
  const double tokensPerSecond = seconds > 0 ? double(prompt.size() + out.size() - 1) / seconds : 0;

  if (o.json) {
    nlohmann::ordered_json doc{{"model", config.name},
                               {"weights", o.weights.empty() ? "synthetic" : o.weights},
                               {"seed", o.seed},
                               {"precision", "fp32"},
                               {"prompt_tokens", prompt},
                               {"generated_tokens", out}};
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
      fmt::print("host speed {:.2f} tokens/s (FP32 golden model, {:.3f} s wall)\n", tokensPerSecond,
                 seconds);
    }
  }
  return 0;
}

}  // namespace

void addGenerateCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("generate", "Greedy decoding with the FP32 golden model");
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
  cmd->add_flag("--no-timing", o->noTiming,
                "Leave out host wall-clock figures (byte-identical output for a given seed)");
  cmd->callback([&action, o]() { action = [o]() { return runGenerate(*o); }; });
}

}  // namespace specmamba::cli
