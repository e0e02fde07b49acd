#pragma once
// The standard check of a one-in/one-out stream unit.
#include <catch2/catch.hpp>

#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"

namespace specmamba::rtltest {

// Runs the unit twice on the same vectors: with random stalls (source valid
// 70 %, sink ready 60 %), then stall-free for the cycle figures. Both runs
// must match `want` bit for bit and keep valid/data while stalled.
// `run(dut, rng, pValid, pReady)` resets the unit and drives it.
// The random-stall run alone (the [real] tests: golden vectors from disk).
template <typename Dut, typename Run>
void checkStalled(Rng& rng, Run run, const std::vector<Bits>& want) {
  Dut dut;
  const StreamRun stalled = run(dut, rng, 0.7, 0.6);
  CHECK(stalled.protocolOk);
  CHECK(stalled.outputs.size() == want.size());
  CHECK(countMismatches(stalled.outputs, want) == 0);
}

template <typename Dut, typename Run>
void checkStreamUnit(const char* name, Rng& rng, Run run, const std::vector<Bits>& want, uint64_t latency,
                     double ii = 1.0) {
  checkStalled<Dut>(rng, run, want);
  Dut dut;
  const StreamRun fast = run(dut, rng, 1.0, 1.0);
  CHECK(countMismatches(fast.outputs, want) == 0);
  const CycleFigures cf = streamCycles(fast);
  recordCycles(name, cf.latency, cf.ii);
  CHECK(cf.latency == latency);
  CHECK(cf.ii == Approx(ii).epsilon(0.001));
}

}  // namespace specmamba::rtltest
