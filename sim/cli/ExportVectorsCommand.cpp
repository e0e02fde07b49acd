// `specmamba export-vectors`: golden vectors of the integer datapath for the
// RTL tests (format: docs/arithmetic.md "Golden vectors").
#include <fmt/format.h>

#include <memory>

#include "models/config/ModelConfig.h"
#include "models/int/GoldenVectors.h"
#include "models/int/OfflineQuantizer.h"
#include "sim/cli/Commands.h"

namespace specmamba::cli {

namespace {

struct ExportOptions {
  std::string model;
  std::string weights;
  std::string out;
  uint64_t seed = 1;
  int tokens = 4;
  std::string precision = "w4a4";
  std::string rotation = "online";
};

int runExport(const ExportOptions& o) {
  const ModelConfig config = loadModelConfig(o.model);
  const Mamba2Weights weights = loadOrSynthesize(config, o.weights, o.seed);
  QuantOptions qo;
  qo.precision = parsePrecision(o.precision);
  qo.rotation = parseRotationMode(o.rotation);
  const IntModelWeights q = quantizeModel(weights, qo);
  GoldenVectorOptions go;
  go.tokens = o.tokens;
  go.seed = o.seed;
  const std::vector<std::string> files = exportGoldenVectors(q, o.out, go);
  fmt::print("wrote {} files to {} ({} {} rotation {}, {} tokens)\n", files.size(), o.out,
             config.name, o.precision, o.rotation, o.tokens);
  return 0;
}

}  // namespace

void addExportVectorsCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("export-vectors",
                                 "Write golden vectors of the integer datapath for the RTL tests");
  auto o = std::make_shared<ExportOptions>();
  cmd->add_option("--model", o->model, "Model name or path to a model JSON")->required();
  cmd->add_option("--out", o->out, "Output directory")->required();
  cmd->add_option("--weights", o->weights, "safetensors checkpoint; default: synthetic weights");
  cmd->add_option("--seed", o->seed, "Seed of the synthetic weights and the tokens")
      ->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Tokens run through the model")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--precision", o->precision, "w4a4 or w8a8")
      ->check(CLI::IsMember({"w4a4", "w8a8"}))
      ->capture_default_str();
  cmd->add_option("--rotation", o->rotation, "online, offline-only or none")
      ->check(CLI::IsMember({"online", "offline-only", "none"}))
      ->capture_default_str();
  cmd->callback([&action, o]() { action = [o]() { return runExport(*o); }; });
}

}  // namespace specmamba::cli
