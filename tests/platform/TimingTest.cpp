// The fast units' cycles add up to the latency + II x work of docs/rtl.md
// (UnitTiming.h), counted independently here for one timing-only pass.
#include <catch2/catch.hpp>

#include "sim/platform/Platform.h"
#include "sim/platform/units/UnitTiming.h"
#include "tests/common/TestSupport.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

TEST_CASE("timing-only unit busy cycles follow the RTL latencies and initiation intervals",
          "[platform]") {
  auto j = test::platformExperiment("tiny-256", "w4a4");
  j["mode"] = "timing-only";
  j["rotation"] = "offline-only";  // no HTU
  j["reuse_after_layers"] = 0;
  j["prompt"] = {1};
  j["tokens"] = 1;
  const Experiment e = test::experimentOf(j);
  const RunResult r = runPlatform(e, nullptr);
  const ModelConfig& m = e.model;
  const AcceleratorConfig& a = e.accel;
  const uint64_t L = uint64_t(m.nLayer), pp = uint64_t(a.pp);
  const uint64_t inTiles = uint64_t((m.inProjOut() + a.cop - 1) / a.cop);
  const uint64_t outTiles = uint64_t((m.dModel + a.cop - 1) / a.cop);
  const uint64_t mmu =
      L * (inTiles * uint64_t(m.dModel / a.cip) + outTiles * uint64_t(m.dInner / a.cip) +
           2 * uint64_t(kMmuTiming.latency));
  const uint64_t groups = uint64_t(m.nHeads / 8);
  const uint64_t ssmu =
      L * groups * (uint64_t(m.dState) * 8 * uint64_t(m.headdim) / pp + uint64_t(ssmuOverheadCycles(m.dState, a.pp)));
  const uint64_t norm = L * (2 * uint64_t(m.dModel) / pp + 3 + 2 * uint64_t(m.dInner) / pp + 3);
  CHECK(r.perToken.busy[size_t(UnitKind::Mmu)] == mmu);
  CHECK(r.perToken.busy[size_t(UnitKind::Ssmu)] == ssmu);
  CHECK(r.perToken.busy[size_t(UnitKind::Norm)] == norm);
  CHECK(r.perToken.busy[size_t(UnitKind::Htu)] == 0);
  // Nothing is faster than the stream: a pass takes at least its beats.
  uint64_t beats = 0;
  for (int c = 0; c < kStreamCategories; ++c)
    beats += (r.readBytesPerToken[size_t(c)] + r.writeBytesPerToken[size_t(c)]) / 32;
  CHECK(r.cyclesPerToken >= beats);
  CHECK(r.perToken.cycles == r.cyclesPerToken);
}

TEST_CASE("a trace writes the chosen layer's unit activity and stream as VCD", "[platform]") {
  test::TempDir dir;
  auto j = test::platformExperiment("tiny-64", "w4a4");
  j["mode"] = "timing-only";
  j["trace"] = {{"layer", 1}, {"file", dir.file("layer1.vcd")}};
  const Experiment e = test::experimentOf(j);
  const RunResult r = runPlatform(e, nullptr);
  CHECK(r.cyclesPerToken > 0);
  const std::string vcd = test::readText(dir.file("layer1.vcd"));
  CHECK_THAT(vcd, Catch::StartsWith("$comment specmamba platform activity"));
  for (const char* s :
       {"$var wire 1 ! mmu_busy $end", "ssmu_busy", "mem_read", "mem_write", "$enddefinitions"}) {
    CHECK_THAT(vcd, Catch::Contains(s));
  }
  CHECK_THAT(vcd, Catch::Contains("\n1!\n"));  // the MMU computes in this layer
  CHECK(e.traceLayer == 1);
}
