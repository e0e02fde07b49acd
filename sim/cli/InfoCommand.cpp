// `specmamba info`: the known models, platforms and experiments with their key figures.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "models/config/EmbeddedConfigs.h"
#include "models/config/ModelConfig.h"
#include "sim/cli/Commands.h"
#include "sim/config/PlatformConfig.h"
#include "sim/platform/Experiment.h"
#include "sim/report/TextTable.h"

namespace specmamba::cli {

namespace {

std::string mib(int64_t bytes) { return fmt::format("{:.1f}", double(bytes) / (1 << 20)); }

// int8 state plus a 4-bit exponent per 8 elements (SPEC §3).
int64_t ssmStateBytesInt8(const ModelConfig& c) {
  return c.ssmStateElements() + c.ssmStateElements() / 16;
}

int runInfo(bool json) {
  nlohmann::ordered_json doc;
  TextTable models({"model", "layers", "d_model", "d_inner", "heads", "N", "P", "params(M)",
                    "W4(MiB)", "W8(MiB)", "FP16(MiB)", "SSM state/layer int8(B)",
                    "SSM state/layer fp32(B)"});
  for (const auto& name : embeddedConfigNames("models")) {
    const ModelConfig c = loadModelConfig(name);
    models.addRow({c.name, std::to_string(c.nLayer), std::to_string(c.dModel),
                   std::to_string(c.dInner), std::to_string(c.nHeads), std::to_string(c.dState),
                   std::to_string(c.headdim), fmt::format("{:.1f}", c.parameters() / 1e6),
                   mib(c.weightBytes(4)), mib(c.weightBytes(8)), mib(c.weightBytes(16)),
                   std::to_string(ssmStateBytesInt8(c)), std::to_string(c.ssmStateElements() * 4)});
    doc["models"].push_back({{"name", c.name},
                             {"n_layer", c.nLayer},
                             {"d_model", c.dModel},
                             {"d_inner", c.dInner},
                             {"nheads", c.nHeads},
                             {"d_state", c.dState},
                             {"headdim", c.headdim},
                             {"in_proj_out", c.inProjOut()},
                             {"vocab_size", c.vocabSize},
                             {"parameters", c.parameters()},
                             {"weight_bytes_w4", c.weightBytes(4)},
                             {"weight_bytes_w8", c.weightBytes(8)},
                             {"weight_bytes_fp16", c.weightBytes(16)},
                             {"ssm_state_bytes_per_layer_int8", ssmStateBytesInt8(c)},
                             {"ssm_state_bytes_per_layer_fp32", c.ssmStateElements() * 4}});
  }
  TextTable platforms({"platform", "board", "device", "clock(MHz)", "memory", "channels",
                       "peak(GB/s)", "AXI"});
  for (const auto& name : embeddedConfigNames("platforms")) {
    const PlatformConfig p = loadPlatformConfig(name);
    platforms.addRow({p.name, p.board, p.device, fmt::format("{:g}", p.accelClockMhz),
                      p.memory.standard, std::to_string(p.memory.channels),
                      fmt::format("{:.1f}", p.memory.peakBandwidthGBs),
                      fmt::format("{}x{}b", p.axiPorts, p.axiWidthBits)});
    doc["platforms"].push_back({{"name", p.name},
                                {"board", p.board},
                                {"device", p.device},
                                {"accel_clock_mhz", p.accelClockMhz},
                                {"memory_standard", p.memory.standard},
                                {"memory_channels", p.memory.channels},
                                {"peak_bandwidth_gbs", p.memory.peakBandwidthGBs},
                                {"axi_ports", p.axiPorts},
                                {"axi_width_bits", p.axiWidthBits}});
  }
  TextTable experiments({"experiment (specmamba run)", "model", "platform", "mode", "precision", "clock(MHz)"});
  for (const auto& name : embeddedConfigNames("experiments")) {
    const platform::Experiment e = platform::loadExperiment(name);
    experiments.addRow({e.name, e.model.name, e.platform.name, platform::runModeName(e.mode),
                        precisionName(e.accel.precision), fmt::format("{:g}", e.accel.clockMhz)});
    doc["experiments"].push_back({{"name", e.name},
                                  {"model", e.model.name},
                                  {"platform", e.platform.name},
                                  {"mode", platform::runModeName(e.mode)},
                                  {"precision", precisionName(e.accel.precision)},
                                  {"clock_mhz", e.accel.clockMhz}});
  }
  if (json) {
    fmt::print("{}\n", doc.dump(2));
  } else {
    fmt::print("Models (weights: in_proj + out_proj of every layer + LM head; scales excluded)\n{}\n"
               "Platforms\n{}\nExperiments\n{}",
               models.render(), platforms.render(), experiments.render());
  }
  return 0;
}

}  // namespace

void addInfoCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("info", "List the known models, platforms and experiments with key figures");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON instead of tables");
  cmd->callback([&action, json]() { action = [json]() { return runInfo(*json); }; });
}

}  // namespace specmamba::cli
