// `specmamba baseline`: the GPU baselines of configs/baselines predicted for
// a model (FP16 batch-1 decode, memory roofline with one calibrated
// efficiency), next to the published measurements they were fitted on.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sim/baseline/GpuBaseline.h"
#include "sim/cli/Commands.h"
#include "sim/report/TextTable.h"

namespace specmamba::cli {

namespace {

struct BaselineOptions {
  std::string model = "mamba2-2.7b";
  std::vector<std::string> gpus;
  bool json = false;
};

int runBaseline(const BaselineOptions& o) {
  using namespace baseline;
  const std::vector<GpuSpec> shipped = shippedGpuSpecs();
  const GpuCalibration cal = calibrate(shipped);
  std::vector<GpuSpec> gpus = shipped;
  if (!o.gpus.empty()) {
    gpus.clear();
    for (const std::string& g : o.gpus) gpus.push_back(loadGpuSpec(g));
  }
  const ModelConfig m = loadModelConfig(o.model);
  nlohmann::ordered_json doc;
  doc["model"] = m.name;
  doc["bytes_per_token"] = fp16DecodeBytesPerToken(m);
  doc["calibration"] = {{"bandwidth_efficiency", cal.bandwidthEfficiency},
                        {"power_fraction_of_tdp", cal.powerFraction},
                        {"fitted_on", cal.from}};
  TextTable t({"gpu", "peak(GB/s)", "TDP(W)", "roofline(tok/s)", "tok/s", "power(W)", "tok/J",
               "published tok/s", "published tok/J"});
  for (const GpuSpec& g : gpus) {
    const GpuPrediction p = predict(g, m, cal);
    const bool published = g.measured && g.measured->model == m.name;
    nlohmann::ordered_json row{{"gpu", g.name},
                               {"peak_bandwidth_gbs", g.peakBandwidthGBs},
                               {"tdp_w", g.tdpW},
                               {"roofline_tokens_per_s", p.rooflineTokensPerS},
                               {"tokens_per_s", p.tokensPerS},
                               {"power_w", p.powerW},
                               {"power", powerSource(p)},
                               {"tokens_per_j", p.tokensPerJ}};
    if (published) {
      row["published_tokens_per_s"] = g.measured->tokensPerS;
      row["published_tokens_per_j"] = g.measured->tokensPerJ;
      row["published_source"] = g.measured->source;
    }
    doc["gpus"].push_back(row);
    t.addRow({g.name, fmt::format("{:g}", g.peakBandwidthGBs), fmt::format("{:g}", g.tdpW),
              fmt::format("{:.1f}", p.rooflineTokensPerS), fmt::format("{:.1f}", p.tokensPerS),
              fmt::format("{:.0f}{}", p.powerW, p.measuredPower ? "" : "*"),
              fmt::format("{:.3f}", p.tokensPerJ),
              published ? fmt::format("{:g}", g.measured->tokensPerS) : "",
              published ? fmt::format("{:g}", g.measured->tokensPerJ) : ""});
  }
  if (o.json) {
    fmt::print("{}\n", doc.dump(2));
    return 0;
  }
  fmt::print("GPU baselines for {} (FP16, batch 1): {:.3f} GB per token; bandwidth efficiency "
             "{:.3f} and power {:.3f} x TDP fitted on {}\n\n{}\n* TDP x calibrated fraction "
             "(no published decode power)\n",
             m.name, fp16DecodeBytesPerToken(m) / 1e9, cal.bandwidthEfficiency, cal.powerFraction,
             fmt::join(cal.from, ", "), t.render());
  return 0;
}

}  // namespace

void addBaselineCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "baseline", "Predict GPU baselines (configs/baselines) for a model: FP16 decode roofline");
  auto o = std::make_shared<BaselineOptions>();
  cmd->add_option("--model", o->model, "Model: a name of configs/models or a JSON path")
      ->capture_default_str();
  cmd->add_option("--gpu", o->gpus, "Only these baselines (names of configs/baselines or paths)");
  cmd->add_flag("--json", o->json, "Print JSON instead of the table");
  cmd->callback([&action, o]() { action = [o]() { return runBaseline(*o); }; });
}

}  // namespace specmamba::cli
