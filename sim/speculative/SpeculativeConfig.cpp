#include "sim/speculative/SpeculativeConfig.h"

#include <fmt/format.h>

#include "models/common/Error.h"
#include "models/config/EmbeddedConfigs.h"
#include "models/speculative/Traffic.h"

namespace specmamba::platform {

const char* acceptanceModeName(AcceptanceMode m) {
  switch (m) {
    case AcceptanceMode::Functional: return "functional";
    case AcceptanceMode::Profile: return "profile";
    case AcceptanceMode::Trace: return "trace";
  }
  return "?";
}

SpeculativeConfig parseSpeculative(JsonNode node, const ModelConfig& target,
                                   const AcceleratorConfig& accel, bool functional,
                                   const JsonNode& acceleratorNode, double clockDefault,
                                   int axiBitsMax) {
  JsonObject o = node.asObject();
  SpeculativeConfig s;
  JsonNode draftNode = o.required("draft");
  try {
    s.draft = loadModelConfig(draftNode.asString());
  } catch (const Error& e) {
    draftNode.fail(e.what());
  }
  if (s.draft.vocabSize != target.vocabSize) {
    draftNode.fail(fmt::format(
        "draft {} has a vocabulary of {} tokens, target {} one of {}: they must be equal",
        s.draft.name, s.draft.vocabSize, target.name, target.vocabSize));
  }
  if (auto w = o.optional("weights")) {
    JsonObject wo = w->asObject();
    s.draftSeed = uint64_t(wo.integer("seed", 0, int64_t(1) << 62, 2));
    s.draftWeights = wo.string("checkpoint", "");
    wo.finish();
  }
  {
    JsonNode t = o.required("tree");
    s.treeText = t.asString();
    try {
      s.tree = TokenTree::parse(s.treeText, "tree");
    } catch (const Error& e) {
      t.fail(fmt::format("{} (branching per depth like \"3,2,2,1\", or \"p:-1,0,0,...\")",
                         e.what()));
    }
    if (s.tree.size() < 2) t.fail("the tree needs at least one draft node");
  }
  s.backtrack = o.choice("backtrack", {"store", "replay", "hybrid"}, "hybrid");
  s.tileHeads = int(o.integer("tile_heads", 0, target.nHeads, 8));
  if (s.tileHeads != 0 && (s.tileHeads % 8 != 0 || target.nHeads % s.tileHeads != 0)) {
    o.required("tile_heads")
        .fail(fmt::format("must be 0 (untiled) or a multiple of 8 that divides the {} heads of {}",
                          target.nHeads, target.name));
  }
  s.fifoKiB = int(o.integer("fifo_kib", 1, 1 << 20, 2048));
  {
    // The FIFO stages at least one tile even when the tree's tiles spill to DRAM.
    const LayerFootprint f = LayerFootprint::of(target, accel.weightBits());
    const int tile = s.tileHeads == 0 ? target.nHeads : s.tileHeads;
    const int64_t tileBytes = f.ssmStateBytes * tile / target.nHeads;
    if (tileBytes > int64_t(s.fifoKiB) * 1024) {
      (o.has("fifo_kib") ? o.required("fifo_kib") : o.node())
          .fail(fmt::format("one SSM state tile of {} heads is {} KiB, the tree FIFO holds {} KiB: "
                            "spilling to DRAM stages a tile on chip, so fifo_kib must be >= {} "
                            "(or tile_heads smaller)",
                            tile, (tileBytes + 1023) / 1024, s.fifoKiB, (tileBytes + 1023) / 1024));
    }
  }
  s.overlap = o.boolean("overlap", true);
  s.nodeStoreKiB = int(o.integer("node_store_kib", 0, 1 << 22, 8192));
  {
    JsonObject a = o.required("acceptance").asObject();
    const std::string mode = a.choice("mode", {"functional", "profile", "trace"});
    if (mode == "functional") {
      s.acceptance = AcceptanceMode::Functional;
      if (!functional) {
        a.required("mode").fail(
            "\"functional\" acceptance runs both models: it needs \"mode\": \"functional\" "
            "(a timing-only run takes \"profile\" or \"trace\")");
      }
    } else {
      if (functional) {
        a.required("mode").fail(fmt::format(
            "\"{}\" acceptance is for timing-only runs (a functional run accepts greedily: "
            "use \"functional\")",
            mode));
      }
      if (mode == "profile") {
        s.acceptance = AcceptanceMode::Profile;
        JsonNode p = a.required("profile");
        try {
          s.profile = loadAcceptanceProfile(p.asString());
        } catch (const Error& e) {
          p.fail(e.what());
        }
        if (int(s.profile.acceptByDepth.size()) < s.tree.maxDepth()) {
          p.fail(fmt::format("profile \"{}\" covers depth {}, the tree is {} deep",
                             s.profile.name, s.profile.acceptByDepth.size(), s.tree.maxDepth()));
        }
        s.acceptanceSeed = uint64_t(a.integer("seed", 0, int64_t(1) << 62, 1));
      } else {
        s.acceptance = AcceptanceMode::Trace;
        JsonNode f = a.required("file");
        s.traceFile = f.asString();
        try {
          const nlohmann::json doc = readJsonFile(s.traceFile);
          JsonNode tn = JsonNode(doc, s.traceFile, "").asObject().required("tree");
          const TokenTree recorded = TokenTree::parse(tn.asString(), "tree");
          if (recorded.parents() != s.tree.parents()) {
            tn.fail(fmt::format("the trace was recorded for tree \"{}\", the experiment's tree is "
                                "\"{}\": accepted lengths of another tree do not apply",
                                tn.asString(), s.treeText));
          }
          TraceAcceptance check(s.traceFile);  // the whole file valid before the run starts
        } catch (const Error& e) {
          f.fail(e.what());
        }
      }
    }
    a.finish();
  }
  o.finish();
  // The draft runs on the same accelerator: its buffers must fit the draft too.
  try {
    s.draftAccel = parseAcceleratorConfig(acceleratorNode.asObject(), s.draft, clockDefault,
                                          axiBitsMax);
  } catch (const Error& e) {
    draftNode.fail(fmt::format("the accelerator cannot run the draft: {}", e.what()));
  }
  return s;
}

}  // namespace specmamba::platform
