#pragma once
// Mamba2 model dimensions (SPEC §2), loaded and validated from configs/models/*.json.
#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace specmamba {

struct ModelConfig {
  std::string name;
  std::string origin;  // file the config came from (for messages)
  int dModel = 0;
  int nLayer = 0;
  int dState = 0;   // N
  int headdim = 0;  // P
  int expand = 0;
  int ngroups = 0;
  int dConv = 0;
  int vocabSize = 0;
  int dInner = 0;  // expand * d_model
  int nHeads = 0;  // d_inner / headdim
  double normEps = 1e-5;
  int chunkSize = 64;  // prefill chunk length of the chunked (SSD) scan

  int inProjOut() const { return 2 * dInner + 2 * ngroups * dState + nHeads; }
  int convDim() const { return dInner + 2 * ngroups * dState; }

  // Parameter counts (the tied LM head counted once, inside the embedding).
  int64_t layerParameters() const;
  int64_t parameters() const;
  // Bytes of the weights streamed per decode token at `bits` per weight
  // (layers + LM head; scales excluded).
  int64_t weightBytes(int bits) const;
  // SSM state of one layer: heads * P * N values.
  int64_t ssmStateElements() const { return int64_t(nHeads) * headdim * dState; }
  int64_t convStateElements() const { return int64_t(dConv - 1) * convDim(); }
};

ModelConfig parseModelConfig(const nlohmann::json& doc, const std::string& origin);
// `nameOrPath`: a name of configs/models (embedded) or a path to a JSON file.
ModelConfig loadModelConfig(const std::string& nameOrPath);

}  // namespace specmamba
