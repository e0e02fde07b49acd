#pragma once
// Helpers shared by the Verilator unit testbenches: the seed rule, bit
// packing into Verilated ports of any width, and a clock.
#include <verilated.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/common/Rng.h"
#include "sim/platform/rtl/Bits.h"

namespace specmamba::rtltest {

// Every randomized RTL test: seed = SPECMAMBA_SEED if set, else `fallback`;
// printed so any failure can be replayed.
inline uint64_t testSeed(const char* test, uint64_t fallback) {
  uint64_t seed = fallback;
  if (const char* env = std::getenv("SPECMAMBA_SEED")) seed = std::strtoull(env, nullptr, 0);
  std::printf("[%s] seed=%llu (set SPECMAMBA_SEED to override)\n", test,
              static_cast<unsigned long long>(seed));
  return seed;
}

using rtl::Bits;

// Drives clk_i: inputs are set while the clock is low, then one rising edge.
template <typename Dut>
void tick(Dut& dut) {
  dut.clk_i = 1;
  dut.eval();
  dut.clk_i = 0;
  dut.eval();
}

template <typename Dut>
void reset(Dut& dut, int cycles = 2) {
  dut.clk_i = 0;
  dut.rst_ni = 0;
  dut.eval();
  for (int i = 0; i < cycles; ++i) tick(dut);
  dut.rst_ni = 1;
  dut.eval();
}

// Random back-pressure: a port is active with probability `pActive` (0..1).
inline bool chance(Rng& rng, double p) { return rng.uniform() < p; }

// A random signed value of `bits` bits whose magnitude is spread over all
// bit lengths (uniform bit length, then uniform value), plus edge cases.
inline int64_t spreadSigned(Rng& rng, unsigned bits) {
  const uint64_t r = rng.below(64);
  const int64_t minV = -(int64_t(1) << (bits - 1));
  const int64_t maxV = (int64_t(1) << (bits - 1)) - 1;
  if (r == 0) return minV;
  if (r == 1) return maxV;
  if (r == 2) return 0;
  const unsigned len = unsigned(rng.below(bits));  // 0..bits-1 magnitude bits
  if (r == 3) return (rng.below(2) ? -1 : 1) * (int64_t(1) << (len == 0 ? 0 : len - 1));
  const int64_t mag = len == 0 ? 0 : int64_t(rng.below(uint64_t(1) << len));
  return rng.below(2) ? -mag : mag;
}


// Result of pushing a list of beats through a one-in/one-out valid/ready
// stream unit.
struct StreamRun {
  std::vector<Bits> outputs;
  uint64_t cycles = 0;          // from the first cycle after reset to the last output
  uint64_t firstOutCycle = 0;   // cycle of the first output handshake
  uint64_t firstInCycle = 0;    // cycle of the first input handshake
  uint64_t lastOutCycle = 0;    // cycle of the last output handshake
  bool protocolOk = true;       // valid/data held while not accepted
};

// Drives `inputs` into a unit with ports valid_i/ready_o (input side) and
// valid_o/ready_i (output side). `put(dut, beat)` sets the input data,
// `get(dut)` reads the output data. The source offers a beat with
// probability pValid each cycle, the sink accepts with probability pReady;
// a beat offered is held (valid and data) until accepted. Checks that the
// unit holds valid_o and its data while the sink stalls.
template <typename Dut, typename Put, typename Get>
StreamRun runStream(Dut& dut, Rng& rng, const std::vector<Bits>& inputs, size_t expectedOutputs,
                    Put put, Get get, double pValid, double pReady, uint64_t maxCycles = 0) {
  StreamRun run;
  if (maxCycles == 0) maxCycles = 1000 + 200 * uint64_t(inputs.size() + expectedOutputs) / (pValid * pReady);
  size_t next = 0;
  bool offering = false;
  bool stalledValid = false;
  Bits stalledData(1);
  uint64_t cycle = 0;
  while (run.outputs.size() < expectedOutputs && cycle < maxCycles) {
    if (!offering && next < inputs.size() && chance(rng, pValid)) offering = true;
    dut.valid_i = offering;
    if (offering) put(dut, inputs[next]);
    dut.ready_i = chance(rng, pReady);
    dut.eval();
    if (stalledValid) {
      // The beat refused last cycle must still be there, unchanged.
      if (!dut.valid_o) run.protocolOk = false;
      else {
        Bits now = get(dut);
        for (unsigned b = 0; b < now.width(); b += 32) {
          const unsigned w = std::min(32u, now.width() - b);
          if (now.get(b, w) != stalledData.get(b, w)) run.protocolOk = false;
        }
      }
    }
    const bool inFire = offering && dut.ready_o;
    const bool outFire = dut.valid_o && dut.ready_i;
    stalledValid = dut.valid_o && !dut.ready_i;
    if (stalledValid) stalledData = get(dut);
    if (outFire) {
      if (run.outputs.empty()) run.firstOutCycle = cycle;
      run.outputs.push_back(get(dut));
      run.lastOutCycle = cycle;
    }
    if (inFire) {
      if (next == 0) run.firstInCycle = cycle;
      ++next;
      offering = false;
    }
    tick(dut);
    ++cycle;
  }
  run.cycles = cycle;
  return run;
}

inline bool sameBits(const Bits& a, const Bits& b) {
  if (a.width() != b.width()) return false;
  for (unsigned i = 0; i < a.width(); i += 32) {
    const unsigned w = std::min(32u, a.width() - i);
    if (a.get(i, w) != b.get(i, w)) return false;
  }
  return true;
}

// Cycle figures of a stall-free run with one output per input: latency
// (input handshake to output handshake) and initiation interval (cycles
// between consecutive outputs).
struct CycleFigures {
  uint64_t latency = 0;
  double ii = 0;
};
inline CycleFigures streamCycles(const StreamRun& run) {
  CycleFigures c;
  c.latency = run.firstOutCycle - run.firstInCycle;
  const size_t n = run.outputs.size();
  c.ii = n > 1 ? double(run.lastOutCycle - run.firstOutCycle) / double(n - 1) : 0.0;
  return c;
}

inline std::string hex(const Bits& b) {
  std::string s;
  char buf[16];
  for (int i = int((b.width() + 31) / 32) - 1; i >= 0; --i) {
    const unsigned w = std::min(32u, b.width() - unsigned(i) * 32);
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(b.get(unsigned(i) * 32, w)));
    s += buf;
  }
  return s;
}

// Outputs that differ from (or are missing against) the expected ones; the
// first few are printed.
inline size_t countMismatches(const std::vector<Bits>& got, const std::vector<Bits>& want) {
  size_t bad = want.size() > got.size() ? want.size() - got.size() : 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
    if (sameBits(got[i], want[i])) continue;
    if (bad < 3) std::printf("mismatch at output %zu:\n  got  %s\n  want %s\n", i, hex(got[i]).c_str(), hex(want[i]).c_str());
    ++bad;
  }
  return bad;
}

}  // namespace specmamba::rtltest
