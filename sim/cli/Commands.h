#pragma once
// Each subcommand of `specmamba` registers itself on the CLI11 app; main.cpp
// lists them in one place (the registry).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "models/weights/Mamba2Weights.h"

namespace specmamba::cli {

// What a subcommand runs after parsing; returns the process exit code.
using Action = std::function<int()>;

void addInfoCommand(CLI::App& app, Action& action);
void addGenerateCommand(CLI::App& app, Action& action);
void addQuantReportCommand(CLI::App& app, Action& action);
void addExportVectorsCommand(CLI::App& app, Action& action);

// A checkpoint when `path` is non-empty, else seeded synthetic weights.
Mamba2Weights loadOrSynthesize(const ModelConfig& config, const std::string& path, uint64_t seed);
void addDramCommand(CLI::App& app, Action& action);
void addRunCommand(CLI::App& app, Action& action);
void addSweepCommand(CLI::App& app, Action& action);
void addBaselineCommand(CLI::App& app, Action& action);

// "1,2,3" -> {1,2,3}; throws Error naming the option on anything else.
std::vector<int> parseIntList(const std::string& text, const std::string& option);

}  // namespace specmamba::cli
