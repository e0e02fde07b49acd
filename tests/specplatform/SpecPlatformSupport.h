#pragma once
// Speculative platform experiments for the tests, built in-process from JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/Experiment.h"
#include "sim/platform/GoldenModel.h"
#include "sim/speculative/SpeculativeScheduler.h"

namespace specmamba::test {

// A functional tiny-model pair: target `model` (seed 1), draft `draft` (seed
// `draftSeed`: the target's own seed makes the draft agree with it always).
inline nlohmann::json specExperiment(const std::string& model, const std::string& draft,
                                     int draftSeed, const std::string& tree,
                                     const std::string& backtrack, int tileHeads) {
  return nlohmann::json{
      {"name", "spec-test"},
      {"model", model},
      {"platform", "vck190"},
      {"host", "vck190-apu"},
      {"weights", {{"seed", 1}}},
      {"mode", "functional"},
      {"accelerator", {{"tp", 4}, {"precision", "w4a4"}}},
      {"speculative",
       {{"draft", draft},
        {"weights", {{"seed", draftSeed}}},
        {"tree", tree},
        {"backtrack", backtrack},
        {"tile_heads", tileHeads},
        {"fifo_kib", 64},
        {"acceptance", {{"mode", "functional"}}}}},
      {"prompt", {1, 2, 3, 4}},
      {"tokens", 10}};
}

// The shipped 2.7B experiment on VCK190 (timing-only), for edits.
nlohmann::json shippedExperiment(const std::string& name);

struct SpecRun {
  platform::Experiment experiment;
  platform::SpeculativeRunResult result;
  std::vector<int> targetOnly;  // functional: the target's own greedy tokens
};
// Runs `j` (one simulation: once per test case).
SpecRun runSpec(const nlohmann::json& j);

}  // namespace specmamba::test
