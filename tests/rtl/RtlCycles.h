#pragma once
// Cycle figures measured by the RTL tests (docs/rtl.md tabulates them).
#include <cstdint>
#include <cstdio>

namespace specmamba::rtltest {

inline void recordCycles(const char* unit, uint64_t latency, double ii) {
  std::printf("[cycles] %s: latency=%llu II=%.3f\n", unit, static_cast<unsigned long long>(latency), ii);
}

}  // namespace specmamba::rtltest
