#pragma once
// The accelerator's memory port as the sequencer sees it: the per-layer
// memory stream (SPEC §4) is issued strictly in order, one segment after the
// other, on one AXI port of the platform. A segment is a contiguous run of
// bus beats of one category (a weight loop, a state read, ...). Times are in
// accelerator clock cycles; the implementation converts to the memory clock.
//
// Two implementations (makeStreamPort):
//  * detailed: every 64-byte burst goes through the command-level DramSystem
//    (sim/memory), the reference.
//  * burst: burst-granular timing calibrated to the command-level model
//    (what sweeps use); its error against `detailed` is tested.
#include <cstdint>
#include <memory>
#include <string>

#include "sim/memory/DramSpec.h"

namespace specmamba::platform {

using AccelCycle = uint64_t;

enum class StreamCategory {
  Weights,
  Scales,
  SsmState,
  ConvState,
  ConvWeights,
  Activations,
  Params
};
const char* categoryName(StreamCategory c);

struct StreamSegment {
  uint64_t address = 0;  // byte address in the DRAM image
  uint64_t beats = 0;    // bus beats (busBytes each)
  bool write = false;
  StreamCategory category = StreamCategory::Weights;
};

struct StreamPortConfig {
  dram::DramSpec memory;     // the platform's DRAM preset
  double accelClockMhz = 0;  // accelerator clock
  int busBits = 256;         // AXI data width
  int maxOutstanding =
      0;  // outstanding bursts the port may have in flight (0: implementation default, documented)
  std::string timing = "burst";  // "burst" or "detailed"
};

struct StreamPortStats {
  uint64_t readBeats = 0, writeBeats = 0;
  AccelCycle busyCycles = 0;  // cycles with at least one beat transferred
};

class StreamPort {
 public:
  virtual ~StreamPort() = default;
  // Issues `s` no earlier than cycle `notBefore` (reads: when the consumer's
  // buffer has room; writes: when the data exists) and after every earlier
  // segment was issued. Returns the cycle at which the last beat has arrived
  // on chip (read) or has been accepted by the memory (write).
  virtual AccelCycle transfer(const StreamSegment& s, AccelCycle notBefore) = 0;
  virtual StreamPortStats stats() const = 0;
};

std::unique_ptr<StreamPort> makeStreamPort(const StreamPortConfig& config);

}  // namespace specmamba::platform
