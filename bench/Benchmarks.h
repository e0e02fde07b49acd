#pragma once
#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>

namespace specmamba::bench {

using Runner = std::function<int()>;

double peakRssMiB();
double secondsSince(std::chrono::steady_clock::time_point t0);

// One registration function per benchmark (the registry is BenchMain.cpp).
void addFp32DecodeBench(CLI::App& app, Runner& runner);
void addIntDecodeBench(CLI::App& app, Runner& runner);
void addDramBench(CLI::App& app, Runner& runner);

}  // namespace specmamba::bench
