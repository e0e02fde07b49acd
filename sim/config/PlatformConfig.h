#pragma once
// An FPGA board (SPEC §6): accelerator clock, off-chip memory, AXI ports.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace specmamba {

struct MemorySummary {
  std::string standard;  // DDR4-3200, LPDDR4-4266, HBM2, HBM2e
  int channels = 0;      // channels or pseudo-channels
  int channelWidthBits = 0;
  int dataRateMtps = 0;  // transfers per second per pin, in millions
  double peakBandwidthGBs = 0;
  std::string preset;  // DRAM timing preset (configs/memory/<preset>.json)
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
  std::string notes;
};

PlatformConfig parsePlatformConfig(const nlohmann::json& doc, const std::string& origin);
PlatformConfig loadPlatformConfig(const std::string& nameOrPath);

}  // namespace specmamba
