#include "sim/platform/RunReport.h"

#include <fmt/format.h>

#include "sim/report/TextTable.h"

namespace specmamba::platform {


RunFigures runFigures(const Experiment& e, const RunResult& r) {
  RunFigures f;
  f.acceleratorSecondsPerToken = double(r.cyclesPerToken) / (e.accel.clockMhz * 1e6);
  f.hostSecondsPerToken = e.host.secondsPerToken(e.model, e.accel.lmHead == LmHeadPlacement::Host);
  f.tokensPerSecond = 1.0 / (f.acceleratorSecondsPerToken + f.hostSecondsPerToken);
  f.acceleratorTokensPerSecond = 1.0 / f.acceleratorSecondsPerToken;
  for (int c = 0; c < kStreamCategories; ++c) {
    f.bytesPerToken += r.readBytesPerToken[size_t(c)] + r.writeBytesPerToken[size_t(c)];
  }
  f.achievedGBs = double(f.bytesPerToken) / f.acceleratorSecondsPerToken / 1e9;
  return f;
}

nlohmann::ordered_json experimentJson(const Experiment& e) {
  nlohmann::ordered_json j;
  j["experiment"] = e.name;
  j["model"] = e.model.name;
  j["platform"] = e.platform.name;
  j["host"] = e.host.name;
  j["mode"] = runModeName(e.mode);
  j["weights"] = e.weights.empty() ? fmt::format("synthetic (seed {})", e.seed) : e.weights;
  j["rotation"] = rotationModeName(e.rotation);
  return j;
}

nlohmann::ordered_json runReportJson(const Experiment& e, const RunResult& r) {
  const RunFigures f = runFigures(e, r);
  const AcceleratorConfig& a = e.accel;
  nlohmann::ordered_json j = experimentJson(e);
  nlohmann::ordered_json units;
  for (UnitKind u : kReportUnits) units[unitName(u)] = a.unitImpl(u);
  j["accelerator"] = {{"tp", a.tp},
                      {"cop", a.cop},
                      {"cip", a.cip},
                      {"pp", a.pp},
                      {"bus_bits", a.busBits},
                      {"clock_mhz", a.clockMhz},
                      {"precision", precisionName(a.precision)},
                      {"reordering", a.reordering},
                      {"tiling", a.tiling},
                      {"weight_buffer_kib", a.weightBufferBytes >> 10},
                      {"state_buffer_kib", a.stateBufferBytes >> 10},
                      {"activation_buffer_kib", a.activationBufferBytes >> 10},
                      {"lm_head", a.lmHead == LmHeadPlacement::Host ? "host" : "accelerator"},
                      {"port_timing", a.portTiming},
                      {"port_issue", a.portIssue},
                      {"units", units}};
  j["prompt_tokens"] = e.prompt;
  j["tokens"] = e.tokens;
  if (e.mode == RunMode::Functional) j["generated_tokens"] = r.tokens;
  j["tokens_per_s"] = f.tokensPerSecond;
  j["accelerator_tokens_per_s"] = f.acceleratorTokensPerSecond;
  j["cycles_per_token"] = r.cyclesPerToken;
  j["accelerator_s_per_token"] = f.acceleratorSecondsPerToken;
  j["host_s_per_token"] = f.hostSecondsPerToken;
  const WindowActivity& w = r.perToken;
  nlohmann::ordered_json breakdown, util;
  for (UnitKind u : kReportUnits) {
    breakdown[fmt::format("{}_busy", unitName(u))] = w.busy[size_t(u)];
    util[unitName(u)] = ratioOrZero(double(w.busy[size_t(u)]), double(w.cycles));
  }
  breakdown["memory_stall"] = w.cycles - w.anyBusy;
  breakdown["overlap"] = w.overlap;
  j["cycle_breakdown"] = breakdown;
  j["utilization"] = util;
  nlohmann::ordered_json bytes;
  for (int c = 0; c < kStreamCategories; ++c) {
    bytes[categoryName(StreamCategory(c))] =
        r.readBytesPerToken[size_t(c)] + r.writeBytesPerToken[size_t(c)];
  }
  bytes["total"] = f.bytesPerToken;
  j["dram"] = {{"bytes_per_token", bytes},
               {"achieved_gbs", f.achievedGBs},
               {"peak_gbs", e.platform.memory.peakBandwidthGBs},
               {"bus_peak_gbs", a.busBits / 8.0 * a.clockMhz * 1e6 / 1e9},
               {"port_busy_fraction",
                ratioOrZero(double(r.port.busyCycles), double(r.cyclesPerToken * Cycle(r.passes)))}};
  if (e.traceLayer >= 0) j["trace"] = {{"layer", e.traceLayer}, {"file", e.traceFile}};
  j["simulation"] = {{"passes", r.passes},
                     {"prompt_passes", r.promptPasses},
                     {"prompt_cycles", r.promptCycles},
                     {"simulated_layers_per_pass", r.simulatedLayers},
                     {"layer_period_reused", r.reused},
                     {"layer_period_cycles", r.layerPeriod},
                     {"first_pass_cycles", r.firstPassCycles}};
  return j;
}

std::string runReportText(const Experiment& e, const RunResult& r) {
  const RunFigures f = runFigures(e, r);
  const AcceleratorConfig& a = e.accel;
  std::string out = fmt::format(
      "experiment {} ({}): {} on {} ({}, {} MHz), {} {}, TP {} COP {} CIP {} PP {}, bus {} bits\n",
      e.name, runModeName(e.mode), e.model.name, e.platform.name, e.platform.memory.standard,
      a.clockMhz, precisionName(a.precision), rotationModeName(e.rotation), a.tp, a.cop, a.cip,
      a.pp, a.busBits);
  if (e.mode == RunMode::Functional)
    out += fmt::format("generated  {}\n", fmt::join(r.tokens, ","));
  out += fmt::format(
      "tokens/s   {:.3f} end to end ({:.3f} accelerator alone; host {:.2f} ms/token on {})\n",
      f.tokensPerSecond, f.acceleratorTokensPerSecond, f.hostSecondsPerToken * 1e3, e.host.name);
  out += fmt::format(
      "cycles     {} per token{}\n", r.cyclesPerToken,
      r.reused ? fmt::format(" ({} layers simulated, steady-state period {} cycles reused)",
                             r.simulatedLayers, r.layerPeriod)
               : std::string());
  if (r.promptPasses > 0) {
    out += fmt::format("prompt     {} tokens in {} passes of up to TP = {}: {} cycles\n",
                       e.prompt.size(), r.promptPasses, a.tp, r.promptCycles);
  }
  out += fmt::format(
      "DRAM       {:.2f} GB/s achieved of {:.1f} GB/s peak (bus {:.1f} GB/s), {:.1f} MB per "
      "token\n\n",
      f.achievedGBs, e.platform.memory.peakBandwidthGBs, a.busBits / 8.0 * a.clockMhz / 1e3,
      double(f.bytesPerToken) / 1e6);
  const WindowActivity& w = r.perToken;
  TextTable t({"cycles per token", "cycles", "share"});
  for (UnitKind u : kReportUnits) {
    t.addRow({fmt::format("{} busy", unitName(u)), std::to_string(w.busy[size_t(u)]),
              fmt::format("{:.1f}%", 100 * ratioOrZero(double(w.busy[size_t(u)]), double(w.cycles)))});
  }
  t.addRow({"memory stall", std::to_string(w.cycles - w.anyBusy),
            fmt::format("{:.1f}%", 100 * ratioOrZero(double(w.cycles - w.anyBusy), double(w.cycles)))});
  t.addRow({"overlap (2+ units)", std::to_string(w.overlap),
            fmt::format("{:.1f}%", 100 * ratioOrZero(double(w.overlap), double(w.cycles)))});
  t.addRow({"total", std::to_string(w.cycles), "100.0%"});
  out += t.render() + "\n";
  TextTable b({"bytes per token", "read", "written"});
  for (int c = 0; c < kStreamCategories; ++c) {
    if (r.readBytesPerToken[size_t(c)] + r.writeBytesPerToken[size_t(c)] == 0) continue;
    b.addRow({categoryName(StreamCategory(c)), std::to_string(r.readBytesPerToken[size_t(c)]),
              std::to_string(r.writeBytesPerToken[size_t(c)])});
  }
  return out + b.render() + "\n";
}

}  // namespace specmamba::platform
