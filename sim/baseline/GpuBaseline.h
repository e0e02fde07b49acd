#pragma once
// GPU baselines (configs/baselines/*.json): batch-1 FP16 decode on a GPU as
// a memory roofline. Decode reads every weight and the recurrent state once
// per token, so tokens/s = efficiency x peak bandwidth / bytes per token. One
// efficiency factor, fitted on the GPUs that carry a published measurement
// (the geometric mean of measured / roofline), serves every GPU and model.
// Power: a GPU's measured decode power where published (tokens/s divided by
// tokens/J), else its TDP times the mean measured-power / TDP fraction of
// the measured GPUs. Nothing else is fitted (docs/baselines.md).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/config/ModelConfig.h"

namespace specmamba::baseline {

struct GpuMeasurement {
  std::string model;  // a configs/models name
  double tokensPerS = 0;
  double tokensPerJ = 0;
  std::string source;
  double powerW() const { return tokensPerS / tokensPerJ; }
};

struct GpuSpec {
  std::string name, origin, gpu, memory, source;
  double peakBandwidthGBs = 0;
  double tdpW = 0;
  std::optional<GpuMeasurement> measured;
};

GpuSpec parseGpuSpec(const nlohmann::json& doc, const std::string& origin);
// A name of configs/baselines or a JSON path; unknown names list the known ones.
GpuSpec loadGpuSpec(const std::string& nameOrPath);
std::vector<GpuSpec> shippedGpuSpecs();  // every configs/baselines entry, by name

// FP16 bytes one decode token moves: every parameter once (the tied LM head
// included) plus the SSM and conv state of every layer read and written.
double fp16DecodeBytesPerToken(const ModelConfig& m);

struct GpuCalibration {
  double bandwidthEfficiency = 0;  // achieved / peak bandwidth
  double powerFraction = 0;        // decode power / TDP
  std::vector<std::string> from;   // the measured GPUs it was fitted on
};
// Fitted on the GPUs of `gpus` that carry a measurement; throws if none does.
GpuCalibration calibrate(const std::vector<GpuSpec>& gpus);

struct GpuPrediction {
  std::string gpu, model;
  double bytesPerToken = 0;
  double rooflineTokensPerS = 0;  // at peak bandwidth
  double tokensPerS = 0;          // at the calibrated efficiency
  double powerW = 0;
  bool measuredPower = false;  // the GPU's published decode power, else TDP x fraction
  double tokensPerJ = 0;
};
GpuPrediction predict(const GpuSpec& gpu, const ModelConfig& m, const GpuCalibration& c);
// Where a prediction's power comes from, as the reports name it.
inline const char* powerSource(const GpuPrediction& p) {
  return p.measuredPower ? "measured" : "tdp x calibrated fraction";
}

// The "baseline" section of a run report: the GPU's prediction for the run's
// model and our end-to-end and accelerator-alone speedups over it.
nlohmann::ordered_json baselineJson(const GpuPrediction& p, const nlohmann::ordered_json& report);
std::string baselineText(const nlohmann::ordered_json& baseline);

}  // namespace specmamba::baseline
