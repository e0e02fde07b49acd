#pragma once
#include <CLI/CLI.hpp>
#include <chrono>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace specmamba::bench {

using Runner = std::function<int()>;

double peakRssMiB();
double secondsSince(std::chrono::steady_clock::time_point t0);

// Seconds to decode `tokens` greedy tokens with a golden model (FP32 or
// integer), after one warm-up token that pages the weights in.
template <class Model>
double timeGreedyDecode(const Model& model, int tokens) {
  const int vocab = model.config().vocabSize;
  auto state = model.initialState();
  std::vector<float> logits(static_cast<size_t>(vocab));
  model.decode(1, state, logits.data());
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < tokens; ++i) {
    const int token = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
    model.decode(token, state, logits.data());
  }
  return secondsSince(t0);
}

// The options every decode benchmark takes: --model, --tokens, --seed.
inline void addDecodeOptions(CLI::App* cmd, std::string& model, int& tokens, uint64_t& seed) {
  cmd->add_option("--model", model)->capture_default_str();
  cmd->add_option("--tokens", tokens)->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--seed", seed)->capture_default_str();
}

// One registration function per benchmark (the registry is BenchMain.cpp).
void addFp32DecodeBench(CLI::App& app, Runner& runner);
void addIntDecodeBench(CLI::App& app, Runner& runner);
void addDramBench(CLI::App& app, Runner& runner);
void addPortBench(CLI::App& app, Runner& runner);
void addPlatformBench(CLI::App& app, Runner& runner);
void addRtlModeBench(CLI::App& app, Runner& runner);
void addSpeculativeBench(CLI::App& app, Runner& runner);
void addSweepBench(CLI::App& app, Runner& runner);

}  // namespace specmamba::bench
