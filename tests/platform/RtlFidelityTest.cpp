// rtl mode: functional runs of tiny-64 and tiny-256 with every unit that has
// RTL Verilated and clocked in SystemC produce the integer golden model's
// tokens, and the fast timing twins' cycles stay within 2 % of the RTL's
// (per-unit busy cycles printed).
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "sim/platform/GoldenModel.h"
#include "sim/platform/rtl/ModeComparison.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

void checkFidelity(const std::string& model, const std::string& precision = "w4a4") {
  registerRtlUnits();
  platform::Experiment e = test::experimentOf(test::platformExperiment(model, precision));
  const auto golden = makeGoldenModel(e);
  IntState state = golden->model->initialState();
  const std::vector<int> want = golden->model->generateGreedy(e.prompt, e.tokens, state);

  const ModeRun fast = runPlatformInChild(e, golden->model.get());
  e.accel = withUnits(e.accel, "rtl");
  const ModeRun rtl = runPlatformInChild(e, golden->model.get());

  fmt::print("{} ({} passes): cycles per pass fast {} rtl {} ({:+.2f} %), rtl wall {:.2f} s\n",
             model, rtl.passes, fast.cyclesPerToken, rtl.cyclesPerToken,
             100.0 * (double(fast.cyclesPerToken) - double(rtl.cyclesPerToken)) /
                 double(rtl.cyclesPerToken),
             rtl.wallSeconds);
  for (int u = 0; u < int(UnitKind::kCount); ++u) {
    fmt::print("  {:<9} {:<4} busy per pass: fast {:>8} rtl {:>8}\n", unitName(UnitKind(u)),
               e.accel.unitImpl(UnitKind(u)), fast.busy[size_t(u)], rtl.busy[size_t(u)]);
  }
  CHECK(fast.tokens == want);
  CHECK(rtl.tokens == want);
  CHECK(relativeDifference(fast.cyclesPerToken, rtl.cyclesPerToken) <= 0.02);
}

}  // namespace

TEST_CASE("rtl mode: tiny-64 produces the golden tokens, fast cycles within 2 % of rtl",
          "[platform][rtl]") {
  checkFidelity("tiny-64");
}

TEST_CASE("rtl mode: tiny-256 produces the golden tokens, fast cycles within 2 % of rtl",
          "[platform][rtl]") {
  checkFidelity("tiny-256");
}

TEST_CASE("rtl mode: tiny-64 W8A8 produces the golden tokens, fast cycles within 2 % of rtl",
          "[platform][rtl]") {
  checkFidelity("tiny-64", "w8a8");
}

TEST_CASE("rtl mode: the residual add has no RTL unit", "[platform][rtl]") {
  registerRtlUnits();
  const auto built = unitImplementations(UnitKind::Residual);
  CHECK(std::find(built.begin(), built.end(), "rtl") == built.end());
  CHECK_THAT(missingImplementation(UnitKind::Residual, "rtl"),
             Catch::Contains("no residual-add unit in rtl/"));
}
