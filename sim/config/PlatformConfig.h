#pragma once
// An FPGA board (SPEC §6): accelerator clock, off-chip memory, AXI ports.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace specmamba {

struct MemorySummary {
  std::string standard;  // DDR4-3200, LPDDR4-4266, HBM2, HBM2e
  int channels = 0;      // channels or pseudo-channels
  int channelWidthBits = 0;
  int dataRateMtps = 0;  // transfers per second per pin, in millions
  double peakBandwidthGBs = 0;
  std::string preset;  // DRAM timing preset (configs/memory/<preset>.json)
};

// The accelerator's AXI master port(s) into the memory (configs/platforms/*.json
// "port"); what sim/platform/StreamPort models. Latencies are the interconnect's
// (NoC + memory controller pipeline, HBM switch) on top of the DRAM command timing.
struct PortConfig {
  int burstBeats = 0;            // AXI burst length in beats (HLS max_read/write_burst_length)
  int readOutstanding = 0;       // AXI read bursts in flight per port (HLS num_read_outstanding)
  int writeOutstanding = 0;      // AXI write bursts in flight per port (num_write_outstanding)
  double requestLatencyNs = 0;   // port -> memory controller queue
  double responseLatencyNs = 0;  // DRAM data / write acceptance -> port
  std::string source;            // where the numbers come from
};

struct PlatformConfig {
  std::string name;
  std::string origin;
  std::string board;
  std::string device;
  double accelClockMhz = 0;
  std::string clockSource;  // "paper" or "ours" (SPEC labels)
  MemorySummary memory;
  int axiPorts = 0;
  int axiWidthBits = 0;
  PortConfig port;
  std::string notes;
};

PlatformConfig parsePlatformConfig(const nlohmann::json& doc, const std::string& origin);
PlatformConfig loadPlatformConfig(const std::string& nameOrPath);

}  // namespace specmamba
