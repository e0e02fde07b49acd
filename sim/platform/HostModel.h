#pragma once
// The host CPU that runs what the accelerator does not (SPEC §4: embedding,
// final norm and LM head in the LightMamba release): a data table of CPUs
// (configs/hosts/*.json, each number with its source) and the time it adds
// per token. The LM head is a GEMV over vocab x d_model weights: its time is
// max(FLOPs / sustained FLOP/s, bytes / sustained memory bandwidth).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "models/config/ModelConfig.h"

namespace specmamba::platform {

struct HostModel {
  std::string name;
  std::string origin;
  std::string cpu;
  double gflops = 0;      // sustained FP32 GFLOP/s of a GEMV
  double memoryGBs = 0;   // sustained read bandwidth, GB/s
  int lmHeadBits = 32;    // bits per LM head weight as the host stores it
  double overheadUs = 0;  // per-token fixed cost (launch, PCIe/AXI round trip)
  std::string source;     // where the numbers come from

  // Seconds per token: embedding row read + final RMSNorm + (with
  // `lmHeadOnHost`) the LM head GEMV + argmax, plus the fixed overhead.
  double secondsPerToken(const ModelConfig& m, bool lmHeadOnHost) const;
  // Seconds for the LM head of `rows` tokens at once (a speculative level or
  // tree): the weights are read once, the FLOPs and embeddings are per row.
  double secondsForRows(const ModelConfig& m, int rows) const;

 private:
  double seconds(const ModelConfig& m, int rows, bool lmHeadOnHost) const;
};

HostModel parseHostModel(const nlohmann::json& doc, const std::string& origin);
HostModel loadHostModel(const std::string& nameOrPath);

}  // namespace specmamba::platform
