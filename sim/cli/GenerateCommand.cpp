// `specmamba generate`: greedy decoding with the FP32 golden model or, with
// --int, the integer model of the accelerator datapath (SPEC §3); plain or
// speculative (SpecMamba: --draft), functional or statistical
// (--acceptance-profile / --acceptance-trace).
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "models/common/Error.h"
#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/speculative/Fp32Backend.h"
#include "models/speculative/IntBackend.h"
#include "models/speculative/SpeculativeDecoder.h"
#include "sim/cli/Commands.h"
#include "sim/config/PlatformConfig.h"
#include "models/common/Greedy.h"
#include "sim/report/Progress.h"
#include "sim/report/TextTable.h"

namespace specmamba::cli {

namespace {

struct GenerateOptions {
  std::string model;
  std::string weights;
  uint64_t seed = 1;
  std::string prompt = "1";
  int tokens = 16;
  bool json = false;
  bool noTiming = false;
  bool quiet = false;
  bool integer = false;
  std::string precision = "w4a4";
  std::string rotation = "online";
  // Speculative decoding.
  std::string draft;
  std::string draftWeights;
  std::optional<uint64_t> draftSeed;
  std::string tree = "3,2,2,1";
  std::string backtrack = "hybrid";
  int tileHeads = 8;
  int weightBits = 4;
  int tokenParallel = 0;
  std::string platform = "vck190";
  int onChipKiB = 8192;
  int fifoKiB = 2048;
  int ssmLanes = 8;
  std::string acceptanceProfile;
  std::string acceptanceTrace;
  std::string recordTrace;
};

std::vector<int> parsePrompt(const GenerateOptions& o, const ModelConfig& c) {
  const std::vector<int> prompt = parseIntList(o.prompt, "--prompt-tokens");
  for (int t : prompt) {
    if (t >= c.vocabSize) {
      throw Error(fmt::format("--prompt-tokens: token {} out of range [0, {}) for model {}", t,
                              c.vocabSize, c.name));
    }
  }
  return prompt;
}

int runPlain(const GenerateOptions& o) {
  const ModelConfig config = loadModelConfig(o.model);
  const std::vector<int> prompt = parsePrompt(o, config);
  Progress progress("specmamba generate", !o.quiet);
  progress.stage(o.weights.empty() ? "synthesizing weights" : "loading " + o.weights);
  const Mamba2Weights weights = loadOrSynthesize(config, o.weights, o.seed);
  const auto onToken = [&](int done) { progress.count(done, o.tokens, "tokens"); };
  QuantOptions qo;
  qo.precision = parsePrecision(o.precision);
  qo.rotation = parseRotationMode(o.rotation);

  std::vector<int> out;
  auto start = std::chrono::steady_clock::now();
  if (o.integer) {
    progress.stage("quantizing");
    const IntModelWeights q = quantizeModel(weights, qo);
    const Mamba2Int model(q);
    IntState state = model.initialState();
    progress.stage("prefill");
    start = std::chrono::steady_clock::now();  // quantization is not decoding
    out = greedyContinuation(model, prompt, o.tokens, state, onToken);
  } else {
    const Mamba2Fp32 model(weights);
    Mamba2State state = model.initialState();
    progress.stage("prefill");
    start = std::chrono::steady_clock::now();
    out = greedyContinuation(model, prompt, o.tokens, state, onToken);
  }
  progress.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Prefill counts as prompt tokens processed; decode as generated tokens.
  const double tokensPerSecond = seconds > 0 ? double(prompt.size() + out.size() - 1) / seconds : 0;

  if (o.json) {
    nlohmann::ordered_json doc{{"model", config.name},
                               {"weights", o.weights.empty() ? "synthetic" : o.weights},
                               {"seed", o.seed},
                               {"precision", o.integer ? o.precision : "fp32"},
                               {"prompt_tokens", prompt},
                               {"generated_tokens", out}};
    if (o.integer) doc["rotation"] = o.rotation;
    if (!o.noTiming) {
      doc["host_wall_s"] = seconds;
      doc["host_tokens_per_s"] = tokensPerSecond;
    }
    fmt::print("{}\n", doc.dump(2));
  } else {
    fmt::print("model      {} ({}, seed {})\n", config.name,
               o.weights.empty() ? "synthetic weights" : o.weights, o.seed);
    fmt::print("prompt     {}\n", fmt::join(prompt, ","));
    fmt::print("generated  {}\n", fmt::join(out, ","));
    if (!o.noTiming) {
      fmt::print("host speed {:.2f} tokens/s ({} golden model, {:.3f} s wall)\n", tokensPerSecond,
                 o.integer ? fmt::format("integer {} rotation {}", o.precision, o.rotation)
                           : std::string("FP32"),
                 seconds);
    }
  }
  return 0;
}

BacktrackBudget budgetOf(const GenerateOptions& o) {
  const PlatformConfig p = loadPlatformConfig(o.platform);
  BacktrackBudget b;
  b.onChipBytes = int64_t(o.onChipKiB) * 1024;
  b.dramBytesPerSecond = p.memory.peakBandwidthGBs * 1e9;
  b.ssmUpdatesPerSecond = double(o.ssmLanes) * p.accelClockMhz * 1e6;
  return b;
}

template <class Backend>
SpeculativeResult runFunctional(Backend draftBackend, Backend targetBackend, const TokenTree& tree,
                                const TreeOptions& dopt, const TreeOptions& topt,
                                const std::vector<LayerPlan>& dplan,
                                const std::vector<LayerPlan>& tplan, const std::vector<int>& prompt,
                                int tokens, Progress& progress) {
  const TreeModel<Backend> draft(std::move(draftBackend), tree, dopt, dplan);
  const TreeModel<Backend> target(std::move(targetBackend), tree, topt, tplan);
  progress.stage("prefill");
  SpeculativeResult r = SpeculativeDecoder(draft, target).generate(
      prompt, tokens, [&](int done) { progress.count(done, tokens, "tokens"); });
  progress.finish();
  return r;
}

int runSpeculative(const GenerateOptions& o) {
  const ModelConfig tc = loadModelConfig(o.model), dc = loadModelConfig(o.draft);
  if (tc.vocabSize != dc.vocabSize) {
    throw Error(fmt::format("--draft: {} has {} tokens, target {} has {}: they must share a "
                            "vocabulary",
                            dc.name, dc.vocabSize, tc.name, tc.vocabSize));
  }
  const TokenTree tree = TokenTree::parse(o.tree, "--tree");
  const auto policy = makeBacktrackPolicy(o.backtrack);
  const BacktrackBudget budget = budgetOf(o);
  TreeOptions topt;
  topt.tileHeads = o.tileHeads;
  topt.weightBits = o.weightBits;
  topt.tokenParallel = o.tokenParallel;
  topt.fifoBytes = int64_t(o.fifoKiB) * 1024;
  TreeOptions dopt = topt;
  dopt.tileHeads = 0;  // the draft expands level by level with whole states
  const PairPlan pair = planPair(*policy, dc, tc, o.weightBits, tree.size(), budget);
  const auto& dplan = pair.draft;
  const auto& tplan = pair.target;

  const bool statistical = !o.acceptanceProfile.empty() || !o.acceptanceTrace.empty();
  if (!o.acceptanceProfile.empty() && !o.acceptanceTrace.empty()) {
    throw Error("--acceptance-profile and --acceptance-trace exclude each other");
  }
  std::vector<int> prompt;
  std::string acceptance = "functional (both models run, greedy verification)";
  SpeculativeResult r;
  const auto start = std::chrono::steady_clock::now();
  if (statistical) {
    const StepAccounting ta(tc, tree, topt, tplan), da(dc, tree, dopt, dplan);
    std::unique_ptr<AcceptanceSource> source;
    if (!o.acceptanceProfile.empty()) {
      source = std::make_unique<ProfileAcceptance>(loadAcceptanceProfile(o.acceptanceProfile), o.seed);
    } else {
      source = std::make_unique<TraceAcceptance>(o.acceptanceTrace);
    }
    acceptance = "statistical: " + source->describe();
    r = simulateAcceptance(tree, da, ta, *source, o.tokens);
  } else {
    prompt = parsePrompt(o, tc);
    Progress progress("specmamba generate", !o.quiet);
    progress.stage("target weights");
    const Mamba2Weights tw = loadOrSynthesize(tc, o.weights, o.seed);
    progress.stage("draft weights");
    const Mamba2Weights dw = loadOrSynthesize(dc, o.draftWeights, o.draftSeed.value_or(o.seed));
    if (o.integer) {
      progress.stage("quantizing");
      QuantOptions qo;
      qo.precision = parsePrecision(o.precision);
      qo.rotation = parseRotationMode(o.rotation);
      const IntModelWeights tq = quantizeModel(tw, qo), dq = quantizeModel(dw, qo);
      const Mamba2Int tm(tq), dm(dq);
      r = runFunctional(IntBackend(dm), IntBackend(tm), tree, dopt, topt, dplan, tplan, prompt,
                        o.tokens, progress);
    } else {
      const Mamba2Fp32 tm(tw), dm(dw);
      r = runFunctional(Fp32Backend(dm), Fp32Backend(tm), tree, dopt, topt, dplan, tplan, prompt,
                        o.tokens, progress);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.recordTrace.empty()) writeAcceptanceTrace(o.recordTrace, o.tree, r.acceptedLengths());

  const double perToken = 1.0 / double(r.generated);
  if (o.json) {
    nlohmann::ordered_json doc;
    doc["mode"] = statistical ? "statistical" : "functional";
    doc["acceptance"] = acceptance;
    doc["target"] = tc.name;
    doc["draft"] = dc.name;
    doc["precision"] = o.integer ? o.precision : "fp32";
    if (o.integer) doc["rotation"] = o.rotation;
    doc["seed"] = o.seed;
    doc["tree"] = {{"shape", o.tree},
                   {"nodes", tree.size()},
                   {"depth", tree.maxDepth()},
                   {"max_width", tree.maxWidth()},
                   {"fifo_depth", tree.fifoDepth()}};
    doc["backtrack"] = {{"strategy", policy->name()},
                        {"target", planJson(tplan)},
                        {"draft", planJson(dplan)}};
    doc["tile_heads"] = o.tileHeads;
    if (!statistical) {
      doc["prompt_tokens"] = prompt;
      doc["generated_tokens"] = r.tokens;
      doc["fifo_high_water"] = r.fifoHighWater;
    }
    doc["generated"] = r.generated;
    doc["target_passes"] = r.steps.size();
    doc["accepted_per_step"] = r.acceptedLengths();
    doc["mean_tokens_per_target_pass"] = r.meanAcceptedPerPass();
    doc["traffic_total"] = {{"target", r.targetTotal.toJson()}, {"draft", r.draftTotal.toJson()}};
    doc["dram_bytes_per_token"] = {{"target", double(r.targetTotal.dramBytes()) * perToken},
                                   {"draft", double(r.draftTotal.dramBytes()) * perToken}};
    if (!o.noTiming) doc["host_wall_s"] = seconds;
    fmt::print("{}\n", doc.dump(2));
    return 0;
  }
  fmt::print("speculative decoding: target {} / draft {} ({}), tree {} ({})\n", tc.name, dc.name,
             o.integer ? fmt::format("integer {}, rotation {}", o.precision, o.rotation)
                       : std::string("FP32"),
             o.tree, tree.describe());
  fmt::print("acceptance  {}\n", acceptance);
  fmt::print("backtrack   {}: target {} store ({} on chip) / {} replay layers; draft {} store / {} "
             "replay\n",
             policy->name(), countMode(tplan, BacktrackMode::Store),
             planJson(tplan)["store_onchip_layers"].get<int>(), countMode(tplan, BacktrackMode::Replay),
             countMode(dplan, BacktrackMode::Store), countMode(dplan, BacktrackMode::Replay));
  if (!statistical) fmt::print("generated   {}\n", fmt::join(r.tokens, ","));
  fmt::print("accepted    {} (per step)\n", fmt::join(r.acceptedLengths(), ","));
  fmt::print("mean tokens per target pass: {:.3f} over {} passes\n\n", r.meanAcceptedPerPass(),
             r.steps.size());
  TextTable t({"traffic per generated token", "target (bytes)", "draft (bytes)"});
  for (int i = 0; i < int(Traffic::kCount); ++i) {
    const auto k = Traffic(i);
    t.addRow({trafficName(k), fmt::format("{:.0f}", double(r.targetTotal[k]) * perToken),
              fmt::format("{:.0f}", double(r.draftTotal[k]) * perToken)});
  }
  t.addRow({"dram_total", fmt::format("{:.0f}", double(r.targetTotal.dramBytes()) * perToken),
            fmt::format("{:.0f}", double(r.draftTotal.dramBytes()) * perToken)});
  for (int i = 0; i < int(Compute::kCount); ++i) {
    const auto k = Compute(i);
    t.addRow({computeName(k), fmt::format("{:.0f}", double(r.targetTotal[k]) * perToken),
              fmt::format("{:.0f}", double(r.draftTotal[k]) * perToken)});
  }
  fmt::print("{}", t.render());
  if (!o.noTiming) fmt::print("host wall {:.3f} s\n", seconds);
  return 0;
}

int runGenerate(const GenerateOptions& o) { return o.draft.empty() ? runPlain(o) : runSpeculative(o); }

}  // namespace

void addGenerateCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("generate", "Greedy decoding with the golden model, plain or speculative");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option("--model", o->model,
                  "Model (the target, with --draft): a name (see `specmamba info`) or a JSON path")
      ->required();
  cmd->add_option("--weights", o->weights,
                  "safetensors checkpoint (Hugging Face mamba2 names); default: synthetic weights");
  cmd->add_option("--seed", o->seed, "Seed of the synthetic weights and of statistical acceptance")
      ->capture_default_str();
  cmd->add_option("--prompt-tokens", o->prompt, "Prompt token ids, comma-separated")
      ->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Number of tokens to generate")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON instead of text");
  cmd->add_flag("--no-timing", o->noTiming,
                "Leave out host wall-clock figures (byte-identical output for a given seed)");
  cmd->add_flag("--quiet", o->quiet, "No progress line on stderr");
  cmd->add_flag("--int", o->integer, "Run the integer (accelerator datapath) model instead of FP32");
  cmd->add_option("--precision", o->precision, "Integer model precision: w4a4 or w8a8")
      ->check(CLI::IsMember({"w4a4", "w8a8"}))
      ->capture_default_str();
  cmd->add_option("--rotation", o->rotation,
                  "Integer model rotation: online (paper), offline-only (release), none")
      ->check(CLI::IsMember({"online", "offline-only", "none"}))
      ->capture_default_str();
  auto* spec = "Speculative decoding";
  cmd->add_option("--draft", o->draft, "Draft model: enables speculative decoding")->group(spec);
  cmd->add_option("--draft-weights", o->draftWeights, "Draft checkpoint (default: synthetic)")
      ->group(spec);
  cmd->add_option("--draft-seed", o->draftSeed, "Seed of the draft's synthetic weights (default: --seed)")
      ->group(spec);
  cmd->add_option("--tree", o->tree, "Token tree: branching per depth (3,2,2,1) or parents (p:-1,0,0,1)")
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--backtrack", o->backtrack, "Backtracking: store, replay or hybrid")
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--tile-heads", o->tileHeads, "Heads per SSM state tile of the tree FIFO (0 = no tiling)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--weight-bits", o->weightBits, "Weight width for the traffic accounting (4 or 8)")
      ->check(CLI::IsMember({4, 8}))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--tp", o->tokenParallel, "Tree nodes sharing one weight pass (0 = all)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--platform", o->platform, "Platform of the hybrid cost model (bandwidth, clock)")
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--onchip-kib", o->onChipKiB, "On-chip memory free for node states (KiB)")
      ->check(CLI::Range(0, 1 << 22))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--fifo-kib", o->fifoKiB, "On-chip tree FIFO capacity (KiB)")
      ->check(CLI::Range(1, 1 << 22))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--ssm-lanes", o->ssmLanes, "SSM unit lanes (PP) of the hybrid cost model")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str()
      ->group(spec);
  cmd->add_option("--acceptance-profile", o->acceptanceProfile,
                  "Statistical mode: per-depth acceptance profile (name in configs/acceptance or JSON path)")
      ->group(spec);
  cmd->add_option("--acceptance-trace", o->acceptanceTrace,
                  "Statistical mode: replay accepted lengths recorded with --record-trace")
      ->group(spec);
  cmd->add_option("--record-trace", o->recordTrace, "Write the accepted length of every step (JSON)")
      ->group(spec);
  // Options that only mean something for speculative decoding require --draft.
  CLI::Option* draftOption = cmd->get_option("--draft");
  for (CLI::Option* opt : cmd->get_options()) {
    if (opt->get_group() == spec && opt != draftOption) opt->needs(draftOption);
  }
  cmd->callback([&action, o]() { action = [o]() { return runGenerate(*o); }; });
}

}  // namespace specmamba::cli
