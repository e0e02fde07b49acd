#include "sim/baseline/GpuBaseline.h"

#include <fmt/format.h>

#include <cmath>

#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba::baseline {

GpuSpec parseGpuSpec(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  GpuSpec g;
  g.origin = origin;
  g.name = o.string("name");
  if (g.name.empty()) o.required("name").fail("must not be empty");
  g.gpu = o.string("gpu");
  g.memory = o.string("memory");
  g.peakBandwidthGBs = o.number("peak_bandwidth_gbs", 1, 1e6);
  g.tdpW = o.number("tdp_w", 1, 1e5);
  g.source = o.string("source");
  if (auto m = o.optional("measured")) {
    JsonObject mo = m->asObject();
    GpuMeasurement r;
    r.model = mo.string("model");
    try {
      loadModelConfig(r.model);
    } catch (const Error& e) {
      mo.required("model").fail(e.what());
    }
    mo.choice("precision", {"fp16"});  // the roofline counts FP16 weights
    r.tokensPerS = mo.number("tokens_per_s", 1e-6, 1e9);
    r.tokensPerJ = mo.number("tokens_per_j", 1e-9, 1e9);
    if (r.powerW() > 10 * g.tdpW) {
      mo.required("tokens_per_j")
          .fail(fmt::format("implies {:.0f} W of decode power, over ten times the {:.0f} W TDP",
                            r.powerW(), g.tdpW));
    }
    r.source = mo.string("source");
    mo.finish();
    g.measured = r;
  }
  o.finish();
  return g;
}

GpuSpec loadGpuSpec(const std::string& nameOrPath) {
  const LocatedConfig c = locateConfig("baselines", nameOrPath);
  return parseGpuSpec(parseJsonText(c.text, c.origin), c.origin);
}

std::vector<GpuSpec> shippedGpuSpecs() {
  std::vector<GpuSpec> all;
  for (const std::string& n : embeddedConfigNames("baselines")) all.push_back(loadGpuSpec(n));
  return all;
}

double fp16DecodeBytesPerToken(const ModelConfig& m) {
  const double state = double(m.ssmStateElements() + m.convStateElements()) * m.nLayer;
  return 2.0 * double(m.parameters()) + 2.0 * 2.0 * state;  // FP16; state read and written
}

GpuCalibration calibrate(const std::vector<GpuSpec>& gpus) {
  GpuCalibration c;
  double logEfficiency = 0, fraction = 0;
  for (const GpuSpec& g : gpus) {
    if (!g.measured) continue;
    const ModelConfig m = loadModelConfig(g.measured->model);
    const double roofline = g.peakBandwidthGBs * 1e9 / fp16DecodeBytesPerToken(m);
    logEfficiency += std::log(g.measured->tokensPerS / roofline);
    fraction += g.measured->powerW() / g.tdpW;
    c.from.push_back(g.name);
  }
  if (c.from.empty()) {
    throw Error("GPU baselines: none carries a \"measured\" point to calibrate the roofline on");
  }
  c.bandwidthEfficiency = std::exp(logEfficiency / double(c.from.size()));
  c.powerFraction = fraction / double(c.from.size());
  return c;
}

GpuPrediction predict(const GpuSpec& gpu, const ModelConfig& m, const GpuCalibration& c) {
  GpuPrediction p;
  p.gpu = gpu.name;
  p.model = m.name;
  p.bytesPerToken = fp16DecodeBytesPerToken(m);
  p.rooflineTokensPerS = gpu.peakBandwidthGBs * 1e9 / p.bytesPerToken;
  p.tokensPerS = c.bandwidthEfficiency * p.rooflineTokensPerS;
  // Memory-bound decode keeps a GPU equally busy whatever the model size, so
  // a measured decode power carries over to other models.
  p.measuredPower = gpu.measured.has_value();
  p.powerW = p.measuredPower ? gpu.measured->powerW() : c.powerFraction * gpu.tdpW;
  p.tokensPerJ = p.tokensPerS / p.powerW;
  return p;
}

nlohmann::ordered_json baselineJson(const GpuPrediction& p, const nlohmann::ordered_json& report) {
  const double ours = report.at("tokens_per_s").get<double>();
  const double accel = report.at("accelerator_tokens_per_s").get<double>();
  nlohmann::ordered_json j;
  j["gpu"] = p.gpu;
  j["model"] = p.model;
  j["gpu_tokens_per_s"] = p.tokensPerS;
  j["gpu_tokens_per_j"] = p.tokensPerJ;
  j["gpu_power_w"] = p.powerW;
  j["gpu_power"] = powerSource(p);
  j["speedup"] = ours / p.tokensPerS;
  j["accelerator_speedup"] = accel / p.tokensPerS;
  // Once the report carries an energy figure, the efficiency ratio follows.
  const auto energy = report.find("energy");
  if (energy != report.end() && energy->contains("tokens_per_j")) {
    j["energy_efficiency_ratio"] = energy->at("tokens_per_j").get<double>() / p.tokensPerJ;
  }
  return j;
}

std::string baselineText(const nlohmann::ordered_json& b) {
  std::string text = fmt::format(
      "baseline {} ({}, FP16 roofline model): {:.1f} tok/s, {:.3f} tok/J at {:.0f} W ({})\n"
      "speedup over it: {:.3f}x end to end, {:.3f}x accelerator alone\n",
      b.at("gpu").get<std::string>(), b.at("model").get<std::string>(),
      b.at("gpu_tokens_per_s").get<double>(), b.at("gpu_tokens_per_j").get<double>(),
      b.at("gpu_power_w").get<double>(), b.at("gpu_power").get<std::string>(),
      b.at("speedup").get<double>(), b.at("accelerator_speedup").get<double>());
  if (b.contains("energy_efficiency_ratio")) {
    text += fmt::format("energy efficiency over it: {:.3f}x\n",
                        b.at("energy_efficiency_ratio").get<double>());
  }
  return text;
}

}  // namespace specmamba::baseline
