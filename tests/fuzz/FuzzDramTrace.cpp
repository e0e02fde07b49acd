// DRAM trace files (Ramulator "LD|ST 0xADDR" and DRAMSim3 "0xADDR READ|WRITE CYCLE").
#include "models/common/Error.h"
#include "sim/memory/TrafficSource.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = specmamba::fuzz::writeInput(data, size, ".trace");
  try {
    specmamba::dram::TraceFileSource source(path);
    specmamba::dram::TrafficRequest r;
    for (int i = 0; i < 100000 && source.next(r); ++i) {
    }
  } catch (const specmamba::Error&) {
  }
  return 0;
}
