#pragma once
// How a segment's beats are striped across the AXI ports: global beat
// g = address / busBytes goes to port g mod ports (StreamPort.h).
#include <cstdint>

namespace specmamba::platform {

struct PortShare {
  uint64_t firstBeat = 0;  // the port's first global beat of the segment
  uint64_t beats = 0;      // beats the port carries: firstBeat, firstBeat + ports, ...
};

inline PortShare portShare(uint64_t firstBeat, uint64_t beats, int port, int ports) {
  const uint64_t p = uint64_t(port), n = uint64_t(ports);
  const uint64_t offset = (p + n - firstBeat % n) % n;
  PortShare s;
  s.firstBeat = firstBeat + offset;
  s.beats = offset < beats ? (beats - offset + n - 1) / n : 0;
  return s;
}

}  // namespace specmamba::platform

namespace specmamba::platform {

// Beats of the next AXI burst of a port's share: at most burstBeats, and not
// across a 4 KB boundary of the port's own address (global beat / ports).
inline uint64_t nextBurstBeats(const PortShare& s, int ports, int burstBeats, uint64_t beatsPer4k) {
  const uint64_t local = s.firstBeat / uint64_t(ports);
  const uint64_t toBoundary = beatsPer4k - local % beatsPer4k;
  uint64_t n = s.beats < uint64_t(burstBeats) ? s.beats : uint64_t(burstBeats);
  return n < toBoundary ? n : toBoundary;
}

}  // namespace specmamba::platform
