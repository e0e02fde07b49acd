#pragma once
// Memory traffic and compute of speculative decoding, counted in the
// accelerator's storage formats (SPEC §3-4), whatever precision the
// functional model runs in: int8 states with a 4-bit exponent per 8 values,
// W4 (or W8) weights streamed as 256-bit beats with 3 scale beats per 256
// weight beats. These are the numbers the platform (issue 6) times.
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "models/config/ModelConfig.h"

namespace specmamba {

enum class Traffic : int {
  Weights,              // in_proj + out_proj weights and scales (DRAM read)
  CommittedStateRead,   // SSM + conv state of the last committed token (DRAM read)
  CommittedStateWrite,  // new committed state (DRAM write)
  NodeStateStore,       // per-node states kept for backtracking by "store" (DRAM write)
  NodeStateStoreOnChip, // the same when they fit on chip
  CachedInputsWrite,    // per-node SSM/conv inputs kept by "replay"
  CachedInputsRead,     // read back along the accepted path
  FifoOnChip,           // node-state tiles through the tree FIFO (pushes + reads)
  FifoSpill,            // FIFO traffic that had to go to DRAM (tile too large for the FIFO)
  kCount
};

enum class Compute : int {
  MmuMacs,           // linear-layer multiply-accumulates
  WeightPasses,      // weight-stream passes (1 per layer per TP tile of nodes)
  ConvMacs,          // depthwise conv multiply-accumulates
  SsmUpdates,        // h = dA*h + dt*x*B element updates in the tree walk / decode
  SsmReplayUpdates,  // element updates spent replaying the accepted path
  NodesProcessed,    // (node, layer) pairs through the whole block
  kCount
};

const char* trafficName(Traffic t);
const char* computeName(Compute c);

struct Ledger {
  std::array<int64_t, size_t(Traffic::kCount)> bytes{};
  std::array<int64_t, size_t(Compute::kCount)> ops{};

  void add(Traffic t, int64_t b) { bytes[size_t(t)] += b; }
  void add(Compute c, int64_t n) { ops[size_t(c)] += n; }
  int64_t operator[](Traffic t) const { return bytes[size_t(t)]; }
  int64_t operator[](Compute c) const { return ops[size_t(c)]; }
  int64_t dramBytes() const;
  Ledger& operator+=(const Ledger& o);
  nlohmann::ordered_json toJson() const;
};

// Per-layer sizes in the accelerator's formats.
struct LayerFootprint {
  int64_t weightBytes = 0;      // in_proj + out_proj weights + scales, one pass
  int64_t ssmStateBytes = 0;    // int8 + exponents
  int64_t convStateBytes = 0;   // d_conv-1 int8 inputs + exponents
  int64_t ssmInputBytes = 0;    // per node: x, B, C, dt (int8 + exponents)
  int64_t convInputBytes = 0;   // per node: raw conv input xBC (int8 + exponents)
  int64_t ssmElements = 0;      // N * d_inner
  int64_t linearMacs = 0;       // per token

  static LayerFootprint of(const ModelConfig& c, int weightBits);
  int64_t stateBytes() const { return ssmStateBytes + convStateBytes; }
  int64_t cachedInputBytes() const { return ssmInputBytes + convInputBytes; }
};

}  // namespace specmamba
