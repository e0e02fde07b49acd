// `specmamba quant-report`: quantization error of the integer datapath
// against FP32, per layer, with and without rotation (SPEC §3, issue 7).
// JSON keys: docs/arithmetic.md "quant-report JSON".
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/common/AtomicFile.h"
#include "models/config/ModelConfig.h"
#include "models/int/QuantAnalysis.h"
#include "sim/cli/Commands.h"
#include "sim/report/TextTable.h"

namespace specmamba::cli {

namespace {

struct QuantReportCliOptions {
  std::string model;
  std::string weights;
  uint64_t seed = 1;
  int tokens = 256;
  int errorTokens = 32;
  bool json = false;
  std::string out;
};

nlohmann::ordered_json activationJson(const ActivationErrors& e) {
  return {{"rtn", e.rtn}, {"rtn_rot", e.rtnRot}, {"pot", e.pot}, {"pot_rot", e.potRot}};
}

nlohmann::ordered_json layerJson(const LayerQuantReport& L, bool withIndex) {
  nlohmann::ordered_json j;
  if (withIndex) j["layer"] = L.layer;
  j["out_proj_input_error_pct"] = {{"a4", activationJson(L.outProjInput[0])},
                                   {"a8", activationJson(L.outProjInput[1])}};
  nlohmann::ordered_json out;
  for (int p = 0; p < 2; ++p) {
    nlohmann::ordered_json v;
    for (size_t k = 0; k < kLayerVariants.size(); ++k)
      v[layerVariantName(kLayerVariants[k])] = L.output[p][k];
    out[p == 0 ? "w4a4" : "w8a8"] = v;
  }
  j["output_error_pct"] = out;
  return j;
}

std::string pct(double v) { return fmt::format("{:.2f}", v); }

int runQuantReportCli(const QuantReportCliOptions& o) {
  const ModelConfig config = loadModelConfig(o.model);
  const Mamba2Weights weights = loadOrSynthesize(config, o.weights, o.seed);
  QuantReportOptions ro;
  ro.errorTokens = o.errorTokens;
  ro.agreementTokens = o.tokens;
  ro.tokenSeed = o.seed;
  const QuantReport rep = runQuantReport(weights, ro);

  nlohmann::ordered_json doc{{"model", config.name},
                             {"weights", o.weights.empty() ? "synthetic" : o.weights},
                             {"seed", o.seed},
                             {"error_tokens", o.errorTokens},
                             {"agreement_tokens", o.tokens}};
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& L : rep.layers) layers.push_back(layerJson(L, true));
  doc["layers"] = layers;
  doc["mean"] = layerJson(rep.mean, false);
  const char* rot[3] = {"none", "offline-only", "online"};
  nlohmann::ordered_json agree;
  for (int p = 0; p < 2; ++p) {
    nlohmann::ordered_json a;
    for (int r = 0; r < 3; ++r) a[rot[r]] = rep.agreement[p][r];
    agree[p == 0 ? "w4a4" : "w8a8"] = a;
  }
  doc["top1_agreement_pct"] = agree;
  if (!o.out.empty()) writeFileAtomically(o.out, doc.dump(2) + "\n");
  if (o.json) {
    fmt::print("{}\n", doc.dump(2));
    return 0;
  }

  fmt::print("quant-report {} ({}, seed {}), {} tokens per error, {} positions of agreement\n\n",
             config.name, o.weights.empty() ? "synthetic weights" : o.weights, o.seed,
             o.errorTokens, o.tokens);
  TextTable t({"layer", "A4 rtn", "A4 rtn+rot", "A4 pot", "A4 pot+rot", "W4A4 rtn", "W4A4 pot",
               "W4A4 release", "W4A4 pot+rot", "W8A8 rtn", "W8A8 pot", "W8A8 release",
               "W8A8 pot+rot"});
  auto row = [&](const std::string& name, const LayerQuantReport& L) {
    const ActivationErrors& a = L.outProjInput[0];
    t.addRow({name, pct(a.rtn), pct(a.rtnRot), pct(a.pot), pct(a.potRot), pct(L.output[0][0]),
              pct(L.output[0][1]), pct(L.output[0][2]), pct(L.output[0][3]), pct(L.output[1][0]),
              pct(L.output[1][1]), pct(L.output[1][2]), pct(L.output[1][3])});
  };
  for (const auto& L : rep.layers) row(std::to_string(L.layer), L);
  row("mean", rep.mean);
  fmt::print(
      "Relative L2 error, %: A4 = 4-bit out_proj input; W4A4/W8A8 = layer (mixer) output\n{}\n",
      t.render());
  TextTable a({"precision", "none", "offline-only (release)", "online (paper)"});
  for (int p = 0; p < 2; ++p) {
    a.addRow({p == 0 ? "W4A4" : "W8A8", pct(rep.agreement[p][0]), pct(rep.agreement[p][1]),
              pct(rep.agreement[p][2])});
  }
  fmt::print("Top-1 (greedy) next-token agreement with FP32 over {} positions, %\n{}", o.tokens,
             a.render());
  return 0;
}

}  // namespace

void addQuantReportCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "quant-report",
      "Integer datapath quantization error vs FP32 per layer, with and without rotation");
  auto o = std::make_shared<QuantReportCliOptions>();
  cmd->add_option("--model", o->model, "Model name (see `specmamba info`) or path to a model JSON")
      ->required();
  cmd->add_option("--weights", o->weights, "safetensors checkpoint; default: synthetic weights");
  cmd->add_option("--seed", o->seed, "Seed of the synthetic weights and of the input tokens")
      ->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Token positions behind the top-1 agreement")
      ->check(CLI::Range(0, 1 << 16))
      ->capture_default_str();
  cmd->add_option("--error-tokens", o->errorTokens, "Tokens behind the per-layer errors")
      ->check(CLI::Range(1, 1 << 16))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON instead of tables");
  cmd->add_option("--out", o->out, "Also write the JSON report to this file");
  cmd->callback([&action, o]() { action = [o]() { return runQuantReportCli(*o); }; });
}

}  // namespace specmamba::cli
