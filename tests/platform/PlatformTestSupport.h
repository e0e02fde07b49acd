#pragma once
// Experiments for the platform tests, built in-process from JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/Experiment.h"

namespace specmamba::test {

// A small functional experiment on `model` (VCK190, release MMU shape).
inline nlohmann::json platformExperiment(const std::string& model, const std::string& precision) {
  return nlohmann::json{{"name", "test"},           {"model", model},
                        {"platform", "vck190"},     {"host", "vck190-apu"},
                        {"weights", {{"seed", 3}}}, {"rotation", "online"},
                        {"mode", "functional"},     {"accelerator", {{"precision", precision}}},
                        {"prompt", {1, 5, 9}},      {"tokens", 6}};
}

inline platform::Experiment experimentOf(const nlohmann::json& j) {
  return platform::parseExperiment(j, "test.json");
}

}  // namespace specmamba::test
