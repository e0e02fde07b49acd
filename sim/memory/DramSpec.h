#pragma once
// A DRAM preset (configs/memory/*.json): organization, timing in command-clock
// cycles, IDD/VDD currents for the energy model and the controller settings.
// parseDramSpec() converts and validates everything in one place; every error
// names the file and the JSON pointer of the offending value.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace specmamba::dram {

struct DramOrganization {
  int channels = 1;  // channels or pseudo-channels, each with its own controller
  int ranks = 1;
  int bankGroups = 1;  // 1 for standards without bank groups (LPDDR4)
  int banksPerGroup = 1;
  int64_t rows = 0;     // per bank
  int64_t columns = 0;  // per row, each channel_width_bits wide
  int channelWidthBits = 64;
  int burstLength = 8;     // beats per column command
  int devicesPerRank = 1;  // chips whose currents add up (energy model)

  int banksPerRank() const { return bankGroups * banksPerGroup; }
  int burstBytes() const { return channelWidthBits / 8 * burstLength; }
  int64_t rowBytes() const { return columns * channelWidthBits / 8; }
  int burstCycles() const { return burstLength / 2; }  // double data rate
  uint64_t channelBytes() const { return uint64_t(ranks) * banksPerRank() * rows * rowBytes(); }
  uint64_t capacityBytes() const { return channelBytes() * uint64_t(channels); }
};

// All values in cycles of tCK except tckPs. Names follow JEDEC.
struct DramTiming {
  int64_t tckPs = 0;
  int CL = 0, CWL = 0, tRCD = 0, tRP = 0, tRAS = 0, tRC = 0;
  int tCCD_S = 0, tCCD_L = 0, tRRD_S = 0, tRRD_L = 0, tFAW = 0;
  int tWTR_S = 0, tWTR_L = 0, tRTP = 0, tWR = 0, tRTW = 0, tRTRS = 0;
  int tREFI = 0, tRFC = 0, tRFCpb = 0, tRREFD = 0;
};

// One supply rail of one device; currents in mA (DRAMPower's IDD names).
struct PowerRail {
  std::string name;
  double volts = 0;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5 = 0;
};

struct DramPower {
  std::vector<PowerRail> rails;
  double ioPjPerBit = 0;  // interface energy per transferred bit (0: core only)
  std::string source;     // where the numbers come from (reported, documented)
};

struct ControllerConfig {
  std::string mapping;  // bit order, most significant first, e.g. "RoBaCoBgCh"
  std::string scheduler;
  std::string pagePolicy;
  std::string refreshPolicy;
  int readQueue = 32;
  int writeQueue = 32;
  int writeHighWatermark = 24;
  int writeLowWatermark = 8;
  int frontendLatency = 0;  // cycles from arrival until the request may issue a command
  // "per-channel": one read and one write queue per channel (read_queue,
  // write_queue deep). "per-bank": in addition each bank holds at most
  // bankQueue requests, reads and writes together (DRAMSim3's PER_BANK
  // command queues, cmd_queue_size), so a preset can be matched to it.
  std::string queueStructure = "per-channel";
  int bankQueue = 0;  // per-bank only
};

struct DramSpec {
  std::string name;
  std::string origin;
  std::string standard;  // DDR4, LPDDR4, HBM2, HBM2e
  std::string description;
  int dataRateMtps = 0;
  DramOrganization org;
  DramTiming timing;
  DramPower power;
  ControllerConfig controller;

  double peakBandwidthGBs() const {
    return double(org.channels) * org.channelWidthBits / 8.0 * dataRateMtps / 1000.0;
  }
};

DramSpec parseDramSpec(const nlohmann::json& doc, const std::string& origin);
// A preset name (configs/memory/<name>.json, embedded) or a path to a JSON file.
DramSpec loadDramSpec(const std::string& nameOrPath);

}  // namespace specmamba::dram
