#pragma once
// The accelerator's memory port as the sequencer sees it: the per-layer
// memory stream (SPEC §4) is issued strictly in order, one segment after the
// other, on one AXI port of the platform. A segment is a contiguous run of
// bus beats of one category (a weight loop, a state read, ...). Times are in
// accelerator clock cycles; the implementation converts to the memory clock.
//
// Two implementations (makeStreamPort):
//  * detailed: every DRAM burst (64 B on DDR4, 32 B on HBM) goes through the
//    command-level DramSystem (sim/memory), the reference.
//  * burst: segment-level timing whose constants come from calibration runs
//    of `detailed` at construction (what sweeps use); its error is tested.
// docs/memory.md "Accelerator port" describes both.
#include <cstdint>
#include <memory>
#include <string>

#include "sim/config/PlatformConfig.h"
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
  // Speculative passes: the models/speculative/Traffic.h category this
  // segment is accounted under (-1: none) and its exact bytes.
  int traffic = -1;
  uint64_t bytes = 0;
};

// The port's mechanics, all data (configs/platforms/*.json "port", see
// streamPortConfig()). With axiPorts > 1 the stream is striped beat by beat
// across the ports: global beat g (address / busBytes) goes to port
// g mod axiPorts, so with one port per HBM pseudo-channel and the presets'
// channel-interleaved mapping each port streams its own pseudo-channel.
struct StreamPortConfig {
  dram::DramSpec memory;         // the platform's DRAM preset
  double accelClockMhz = 0;      // accelerator clock (a whole number of kHz: conversions are exact)
  int busBits = 256;             // AXI data width per port
  int axiPorts = 1;              // AXI master ports the stream is striped across
  int burstBeats = 16;           // AXI burst length (beats); bursts also split at 4 KB boundaries
  int readOutstanding = 16;      // AXI read bursts in flight per port
  int writeOutstanding = 16;     // AXI write bursts in flight per port
  double requestLatencyNs = 0;   // interconnect: port -> memory controller queue
  double responseLatencyNs = 0;  // interconnect: DRAM data / write acceptance -> port
  std::string timing = "burst";  // "burst" or "detailed"
};

struct StreamPortStats {
  uint64_t readBeats = 0, writeBeats = 0;
  AccelCycle busyCycles = 0;  // cycles with at least one segment in flight (issued, not complete)
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

// `timing` names the implementation; an unknown name lists the valid ones.
std::unique_ptr<StreamPort> makeStreamPort(const StreamPortConfig& config);
// The port of `platform` (its memory preset, clock, AXI ports and "port" block).
StreamPortConfig streamPortConfig(const PlatformConfig& platform, const std::string& timing);

}  // namespace specmamba::platform
