#include "sim/speculative/SpeculativeReport.h"

#include <fmt/format.h>

#include "sim/platform/RunReport.h"
#include "sim/report/TextTable.h"

namespace specmamba::platform {


SpeculativeFigures speculativeFigures(const Experiment& e, const SpeculativeRunResult& r) {
  SpeculativeFigures f;
  const double hz = e.accel.clockMhz * 1e6;
  f.acceleratorSeconds = double(r.draftCycles + r.verifyCycles + r.commitCycles) / hz;
  f.hostSeconds = r.hostSeconds;
  f.tokensPerSecond = ratioOrZero(r.generated, f.acceleratorSeconds + f.hostSeconds);
  f.acceleratorTokensPerSecond = ratioOrZero(r.generated, f.acceleratorSeconds);
  const double base = double(r.baselineCyclesPerToken) / hz;
  f.baselineTokensPerSecond = ratioOrZero(1.0, base + r.baselineHostSeconds);
  f.baselineAcceleratorTokensPerSecond = ratioOrZero(1.0, base);
  f.speedup = ratioOrZero(f.tokensPerSecond, f.baselineTokensPerSecond);
  f.acceleratorSpeedup = ratioOrZero(f.acceleratorTokensPerSecond, f.baselineAcceleratorTokensPerSecond);
  int64_t emitted = 0;
  for (int k : r.accepted) emitted += k + 1;
  f.meanAcceptedPerPass = ratioOrZero(double(emitted), double(r.steps));
  return f;
}

nlohmann::ordered_json speculativeReportJson(const Experiment& e, const SpeculativeRunResult& r) {
  const SpeculativeFigures f = speculativeFigures(e, r);
  const SpeculativeConfig& s = *e.speculative;
  const AcceleratorConfig& a = e.accel;
  const double hz = a.clockMhz * 1e6;
  nlohmann::ordered_json j = experimentJson(e);
  j["accelerator"] = {{"tp", a.tp},           {"cop", a.cop},
                      {"cip", a.cip},         {"pp", a.pp},
                      {"bus_bits", a.busBits}, {"clock_mhz", a.clockMhz},
                      {"precision", precisionName(a.precision)}};
  j["prompt_tokens"] = e.prompt;
  j["tokens"] = e.tokens;
  if (e.mode == RunMode::Functional) j["generated_tokens"] = r.tokens;
  j["tokens_per_s"] = f.tokensPerSecond;
  j["accelerator_tokens_per_s"] = f.acceleratorTokensPerSecond;
  nlohmann::ordered_json sp;
  sp["draft"] = s.draft.name;
  sp["draft_weights"] =
      s.draftWeights.empty() ? fmt::format("synthetic (seed {})", s.draftSeed) : s.draftWeights;
  sp["tree"] = s.treeText;
  sp["tree_nodes"] = s.tree.size();
  sp["tree_depth"] = s.tree.maxDepth();
  sp["backtrack"] = s.backtrack;
  sp["plan"] = {{"target", planJson(r.targetPlan)}, {"draft", planJson(r.draftPlan)}};
  sp["tile_heads"] = s.tileHeads;
  sp["fifo_kib"] = s.fifoKiB;
  sp["fifo"] = {{"tile_bytes", r.tileBytes},
                {"onchip_bytes_needed", r.fifoBytes},
                {"spills_to_dram", r.fifoSpills},
                {"draft_level_state_bytes", r.draftLevelStateBytes}};
  sp["overlap"] = s.overlap;
  sp["acceptance"] = {{"mode", acceptanceModeName(s.acceptance)}, {"source", r.acceptanceSource}};
  sp["steps"] = r.steps;
  sp["generated"] = r.generated;
  sp["mean_accepted_per_pass"] = f.meanAcceptedPerPass;
  std::vector<int> hist(size_t(s.tree.maxDepth() + 1), 0);
  for (int k : r.accepted) ++hist[size_t(k)];
  sp["accepted_histogram"] = hist;
  const double steps = std::max(1, r.steps);
  sp["cycles_per_step"] = {{"draft", double(r.draftCycles) / steps},
                           {"verify", double(r.verifyCycles) / steps},
                           {"backtrack_commit", double(r.commitCycles) / steps},
                           {"host", r.hostSeconds / steps * hz}};
  nlohmann::ordered_json util;
  for (UnitKind u : kReportUnits)
    util[unitName(u)] = ratioOrZero(double(r.activity.busy[size_t(u)]), double(r.activity.cycles));
  sp["utilization"] = util;
  const double tokens = std::max(1, r.generated);
  nlohmann::ordered_json measured, predicted;
  for (int t = 0; t < int(Traffic::kCount); ++t) {
    measured[trafficName(Traffic(t))] = double(r.measured.bytes[size_t(t)]) / tokens;
    predicted[trafficName(Traffic(t))] = double(r.predicted.bytes[size_t(t)]) / tokens;
  }
  measured["dram_total"] = double(r.measured.dramBytes()) / tokens;
  predicted["dram_total"] = double(r.predicted.dramBytes()) / tokens;
  sp["bytes_per_token"] = measured;
  sp["bytes_per_token_step_accounting"] = predicted;
  sp["matches_step_accounting"] = r.measured.bytes == r.predicted.bytes;
  sp["port_bytes_per_token"] = double(r.portDramBytes) / tokens;
  sp["baseline"] = {
      {"how", "simulated in this run: one plain decode pass of the target (same reuse rule as a "
              "plain run of this experiment without \"speculative\")"},
      {"cycles_per_token", r.baselineCyclesPerToken},
      {"tokens_per_s", f.baselineTokensPerSecond},
      {"accelerator_tokens_per_s", f.baselineAcceleratorTokensPerSecond}};
  sp["speedup"] = f.speedup;
  sp["accelerator_speedup"] = f.acceleratorSpeedup;
  j["speculative"] = sp;
  return j;
}

std::string speculativeReportText(const Experiment& e, const SpeculativeRunResult& r) {
  const SpeculativeFigures f = speculativeFigures(e, r);
  const SpeculativeConfig& s = *e.speculative;
  const AcceleratorConfig& a = e.accel;
  std::string out = fmt::format(
      "experiment {} ({}): {} + draft {} on {} ({}, {} MHz), {} {}, TP {} COP {} CIP {} PP {}\n",
      e.name, runModeName(e.mode), e.model.name, s.draft.name, e.platform.name,
      e.platform.memory.standard, a.clockMhz, precisionName(a.precision),
      rotationModeName(e.rotation), a.tp, a.cop, a.cip, a.pp);
  out += fmt::format("tree       {} ({} nodes, depth {}), backtrack {}, tile {} heads, FIFO {} KiB{}, overlap {}\n",
                     s.treeText, s.tree.size(), s.tree.maxDepth(), s.backtrack, s.tileHeads,
                     s.fifoKiB, r.fifoSpills ? " (spills to DRAM)" : "", s.overlap ? "on" : "off");
  out += fmt::format("acceptance {}\n", r.acceptanceSource);
  if (e.mode == RunMode::Functional)
    out += fmt::format("generated  {}\n", fmt::join(r.tokens, ","));
  out += fmt::format(
      "tokens/s   {:.3f} end to end ({:.3f} accelerator alone), {} steps, {:.3f} tokens per "
      "target pass\n",
      f.tokensPerSecond, f.acceleratorTokensPerSecond, r.steps, f.meanAcceptedPerPass);
  out += fmt::format(
      "baseline   {:.3f} tokens/s plain decoding ({} cycles per token): speed-up {:.3f}x end to "
      "end, {:.3f}x accelerator alone\n\n",
      f.baselineTokensPerSecond, r.baselineCyclesPerToken, f.speedup, f.acceleratorSpeedup);
  const double steps = std::max(1, r.steps), hz = a.clockMhz * 1e6;
  const double total = double(r.draftCycles + r.verifyCycles + r.commitCycles) / steps +
                       r.hostSeconds / steps * hz;
  TextTable t({"cycles per step", "cycles", "share"});
  const auto row = [&](const char* name, double c) {
    t.addRow({name, fmt::format("{:.0f}", c), fmt::format("{:.1f}%", 100 * ratioOrZero(c, total))});
  };
  row("draft", double(r.draftCycles) / steps);
  row("verify", double(r.verifyCycles) / steps);
  row("backtrack + commit", double(r.commitCycles) / steps);
  row("host (LM heads)", r.hostSeconds / steps * hz);
  out += t.render() + "\n";
  TextTable b({"DRAM bytes per token", "platform", "StepAccounting"});
  const double tokens = std::max(1, r.generated);
  for (int c = 0; c < int(Traffic::kCount); ++c) {
    if (r.measured.bytes[size_t(c)] == 0 && r.predicted.bytes[size_t(c)] == 0) continue;
    b.addRow({trafficName(Traffic(c)), fmt::format("{:.0f}", double(r.measured.bytes[size_t(c)]) / tokens),
              fmt::format("{:.0f}", double(r.predicted.bytes[size_t(c)]) / tokens)});
  }
  b.addRow({"dram total", fmt::format("{:.0f}", double(r.measured.dramBytes()) / tokens),
            fmt::format("{:.0f}", double(r.predicted.dramBytes()) / tokens)});
  out += b.render() + "\n";
  TextTable u({"unit", "utilization"});
  for (UnitKind k : kReportUnits) {
    u.addRow({unitName(k), fmt::format("{:.1f}%", 100 * ratioOrZero(double(r.activity.busy[size_t(k)]),
                                                               double(r.activity.cycles)))});
  }
  return out + u.render() + "\n";
}

}  // namespace specmamba::platform
