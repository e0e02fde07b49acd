// specmamba-bench: performance figures for docs/performance.md. Each
// benchmark prints what it measured; none asserts a time.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fmt/format.h>

#include "bench/Benchmarks.h"
#include "models/common/Error.h"
#include "sim/common/SanitizerOptions.h"
#include "sim/platform/rtl/RtlUnits.h"

namespace specmamba::bench {

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace specmamba::bench

int main(int argc, char** argv) {
  CLI::App app{"specmamba-bench: performance figures (see docs/performance.md)"};
  app.require_subcommand(1);
  specmamba::bench::Runner runner;
  specmamba::bench::addFp32DecodeBench(app, runner);
  specmamba::bench::addIntDecodeBench(app, runner);
  specmamba::bench::addDramBench(app, runner);
  specmamba::bench::addPortBench(app, runner);
  specmamba::bench::addPlatformBench(app, runner);
  specmamba::bench::addSpeculativeBench(app, runner);
  specmamba::bench::addSweepBench(app, runner);
  specmamba::bench::addRtlModeBench(app, runner);
  specmamba::platform::registerRtlUnits();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return runner();
  } catch (const specmamba::Error& e) {
    fmt::print(stderr, "specmamba-bench: error: {}\n", e.what());
    return 1;
  }
}
