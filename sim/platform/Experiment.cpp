#include "sim/platform/Experiment.h"

#include <fmt/format.h>
#include <unistd.h>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "models/rotation/RotationFolding.h"

namespace specmamba::platform {

const char* runModeName(RunMode m) {
  return m == RunMode::Functional ? "functional" : "timing-only";
}

namespace {

// Peak bytes per parameter of a functional run's golden model: the FP32
// weights while quantizing, then the integer model. Measured 12.5 (1.50 GiB
// peak RSS for the 129 M parameters of mamba2-130m, `/usr/bin/time -v
// specmamba run default`); 12 keeps the guard from refusing runs that fit.
constexpr double kGoldenBytesPerParameter = 12.0;

// A config of another folder named at `node`; its errors (unknown name, or
// the named file's own file + pointer message) reported at `node`.
template <class Load>
auto loadNamed(JsonNode node, Load load) {
  const std::string name = node.asString();
  try {
    return load(name);
  } catch (const Error& e) {
    node.fail(e.what());
  }
}

}  // namespace

Experiment parseExperiment(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  Experiment e;
  e.origin = origin;
  e.name = o.string("name");
  e.model = loadNamed(o.required("model"), loadModelConfig);
  e.platform = loadNamed(o.required("platform"), loadPlatformConfig);
  e.host = loadNamed(o.required("host"), loadHostModel);
  if (auto w = o.optional("weights")) {
    JsonObject wo = w->asObject();
    e.seed = uint64_t(wo.integer("seed", 0, int64_t(1) << 62, 1));
    e.weights = wo.string("checkpoint", "");
    wo.finish();
  }
  e.rotation =
      parseRotationMode(o.choice("rotation", {"online", "offline-only", "none"}, "online"));
  e.mode = o.choice("mode", {"functional", "timing-only"}, "functional") == "functional"
               ? RunMode::Functional
               : RunMode::TimingOnly;
  e.reuseAfterLayers = int(o.integer("reuse_after_layers", 0, 1 << 20, 3));
  if (e.reuseAfterLayers == 1) {
    o.required("reuse_after_layers")
        .fail("must be 0 (no reuse) or >= 2 (a steady-state period needs two layers)");
  }
  if (auto p = o.optional("prompt")) {
    e.prompt.clear();
    for (const JsonNode& t : p->asArray(1, 1 << 20))
      e.prompt.push_back(int(t.asInt(0, e.model.vocabSize - 1)));
  }
  e.tokens = int(o.integer("tokens", 1, 1 << 20, 16));
  if (auto t = o.optional("trace")) {
    JsonObject to = t->asObject();
    e.traceLayer = int(to.integer("layer", 0, e.model.nLayer - 1));
    e.traceFile = to.string("file");
    to.finish();
    if (e.traceLayer >= e.simulatedLayers()) {
      to.required("layer").fail(
          fmt::format("layer {} is not simulated in a timing-only run with "
                      "reuse_after_layers = {} (trace a layer below it, or set it to 0)",
                      e.traceLayer, e.reuseAfterLayers));
    }
  }
  const int axiBits = e.platform.axiPorts * e.platform.axiWidthBits;
  static const nlohmann::json kNoAccelerator = nlohmann::json::object();
  const JsonNode accelNode = o.has("accelerator")
                                 ? o.required("accelerator")
                                 : JsonNode(kNoAccelerator, origin, "/accelerator");
  e.accel = parseAcceleratorConfig(accelNode.asObject(), e.model, e.platform.accelClockMhz, axiBits);
  if (auto sp = o.optional("speculative")) {
    e.speculative = parseSpeculative(*sp, e.model, e.accel, e.mode == RunMode::Functional,
                                     accelNode, e.platform.accelClockMhz, axiBits);
    if (e.accel.lmHead != LmHeadPlacement::Host) {
      sp->fail("speculative runs keep the LM heads of the tree nodes on the host "
               "(\"accelerator\": {\"lm_head\": \"host\"})");
    }
    if (e.traceLayer >= 0) sp->fail("\"trace\" records plain runs only: drop it or \"speculative\"");
  }
  o.finish();
  if (e.mode == RunMode::Functional) {
    // The golden models must fit in memory: refused up front, not by the OOM killer.
    double need = double(e.model.parameters()) * kGoldenBytesPerParameter;
    if (e.speculative) need += double(e.speculative->draft.parameters()) * kGoldenBytesPerParameter;
    const double have = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
    if (have > 0 && need > have) {
      const std::string why = fmt::format(
          "a functional run keeps the golden model{} of {} in memory: about {:.1f} GiB, this machine has "
          "{:.1f} GiB (use \"mode\": \"timing-only\", or a smaller model)",
          e.speculative ? "s" : "", e.speculative ? e.model.name + " + " + e.speculative->draft.name : e.model.name,
          need / double(1 << 30), have / double(1 << 30));
      if (o.has("mode")) o.required("mode").fail(why);
      o.node().fail("mode (default functional): " + why);
    }
  }
  if (e.mode == RunMode::Functional && e.accel.lmHead == LmHeadPlacement::Accelerator) {
    o.required("accelerator")
        .asObject()
        .required("lm_head")
        .fail(
            "\"accelerator\" runs timing-only: the integer golden model keeps the LM head in FP32 "
            "on the host, so "
            "there are no quantized LM head weights to stream (use \"mode\": \"timing-only\")");
  }
  return e;
}

Experiment loadExperiment(const std::string& nameOrPath) {
  LocatedConfig located = locateConfig("experiments", nameOrPath);
  return parseExperiment(parseJsonText(located.text, located.origin), located.origin);
}

}  // namespace specmamba::platform
