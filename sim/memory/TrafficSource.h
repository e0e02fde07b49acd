#pragma once
// Request streams for the standalone tool, the tests and the benchmark:
// trace files (DRAMSim3 "0xADDR READ|WRITE CYCLE", Ramulator "LD|ST 0xADDR"
// and "0xADDR R|W")
// and seeded synthetic patterns (stream, random, strided).
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "models/common/Rng.h"
#include "sim/memory/DramSpec.h"
#include "sim/memory/DramTypes.h"

namespace specmamba::dram {

struct TrafficRequest {
  uint64_t address = 0;
  bool write = false;
  Cycle arrival = 0;  // earliest cycle it may be submitted (0: as soon as possible)
};

class TrafficSource {
 public:
  virtual ~TrafficSource() = default;
  virtual bool next(TrafficRequest& r) = 0;
};

// Reads a trace line by line; the first request line fixes the format:
// DRAMSim3 "0xADDR OP CYCLE" (OP: READ, WRITE, read, write, P_MEM_RD,
// P_MEM_WR), Ramulator 2 "LD|ST 0xADDR" or Ramulator 1 "0xADDR R|W". A
// malformed line throws Error "FILE:LINE: ...", a trace without any request
// line throws Error "FILE: ...". '#' starts a comment.
class TraceFileSource final : public TrafficSource {
 public:
  explicit TraceFileSource(const std::string& path);
  bool next(TrafficRequest& r) override;

 private:
  enum class Format { Unknown, DramSim3, Ramulator, Ramulator1 };
  [[noreturn]] void fail(const std::string& what) const;
  std::string path_;
  std::ifstream in_;
  int64_t line_ = 0;
  uint64_t requests_ = 0;
  Format format_ = Format::Unknown;
  Cycle lastCycle_ = 0;
};

enum class Pattern { Stream, Random, Strided };
Pattern parsePattern(const std::string& name);  // throws Error listing the valid names

class PatternSource final : public TrafficSource {
 public:
  // stride in bytes (strided only); readRatio in [0, 1]; addresses wrap at the capacity.
  PatternSource(Pattern p, const DramSpec& spec, uint64_t stride, double readRatio, uint64_t seed);
  bool next(TrafficRequest& r) override;

 private:
  Pattern pattern_;
  uint64_t burst_, capacity_, stride_;
  double readRatio_;
  Rng rng_;
  uint64_t i_ = 0;
};

}  // namespace specmamba::dram
