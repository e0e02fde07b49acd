#include "sim/platform/PortClock.h"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "models/common/Error.h"

namespace specmamba::platform {

namespace {

uint64_t ceilDiv(unsigned __int128 a, uint64_t b) { return uint64_t((a + b - 1) / b); }

}  // namespace

PortClock::PortClock(double accelClockMhz, int64_t tckPs) {
  const double khz = accelClockMhz * 1000.0;
  if (!(khz >= 1) || std::fabs(khz - std::round(khz)) > 1e-6 || tckPs <= 0) {
    throw Error(
        fmt::format("accelerator clock {} MHz must be a whole number of kHz and tCK ({} ps) "
                    "positive",
                    accelClockMhz, tckPs));
  }
  accelKhz_ = uint64_t(std::llround(khz));
  // accel period / tCK = (1e9 / kHz ps) / tckPs
  num_ = 1'000'000'000;
  den_ = accelKhz_ * uint64_t(tckPs);
  const uint64_t g = std::gcd(num_, den_);
  num_ /= g;
  den_ /= g;
}

dram::Cycle PortClock::toMemory(uint64_t accelCycle) const {
  return dram::Cycle(ceilDiv((unsigned __int128)accelCycle * num_, den_));
}

uint64_t PortClock::toAccel(dram::Cycle memoryCycle) const {
  return ceilDiv((unsigned __int128)uint64_t(memoryCycle) * den_, num_);
}

uint64_t PortClock::accelCycles(double ns) const {
  return uint64_t(std::ceil(ns * double(accelKhz_) / 1e6 - 1e-9));
}

}  // namespace specmamba::platform
