#include "models/weights/Checkpoint.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba {

namespace {

std::string layerName(int i, const char* leaf) {
  return fmt::format("backbone.layers.{}.{}", i, leaf);
}

// One table of (name, shape, storage) drives both loading and saving.
struct TensorSlot {
  std::string name;
  std::vector<int64_t> shape;
  float* data;
  size_t size;
};

template <class W>
std::vector<TensorSlot> slots(W& w) {
  const auto& c = w.config;
  auto vec = [](auto& v) { return std::make_pair(const_cast<float*>(v.data()), v.size()); };
  std::vector<TensorSlot> s;
  auto add = [&](std::string name, std::vector<int64_t> shape, std::pair<float*, size_t> d) {
    s.push_back({std::move(name), std::move(shape), d.first, d.second});
  };
  add("backbone.embeddings.weight", {c.vocabSize, c.dModel}, vec(w.embedding.data));
  for (int i = 0; i < c.nLayer; ++i) {
    auto& L = w.layers[size_t(i)];
    add(layerName(i, "norm.weight"), {c.dModel}, vec(L.norm));
    add(layerName(i, "mixer.in_proj.weight"), {c.inProjOut(), c.dModel}, vec(L.inProj.data));
    add(layerName(i, "mixer.conv1d.weight"), {c.convDim(), 1, c.dConv}, vec(L.convWeight.data));
    add(layerName(i, "mixer.conv1d.bias"), {c.convDim()}, vec(L.convBias));
    add(layerName(i, "mixer.dt_bias"), {c.nHeads}, vec(L.dtBias));
    add(layerName(i, "mixer.A_log"), {c.nHeads}, vec(L.aLog));
    add(layerName(i, "mixer.D"), {c.nHeads}, vec(L.d));
    add(layerName(i, "mixer.norm.weight"), {c.dInner}, vec(L.gatedNorm));
    add(layerName(i, "mixer.out_proj.weight"), {c.dModel, c.dInner}, vec(L.outProj.data));
  }
  add("backbone.norm_f.weight", {c.dModel}, vec(w.normF));
  return s;
}

}  // namespace

Mamba2Weights loadCheckpoint(const std::string& path, const ModelConfig& config) {
  auto file = SafetensorsFile::open(path);
  Mamba2Weights w = allocateWeights(config);
  for (auto& slot : slots(w)) {
    std::string name = slot.name;
    if (name == "backbone.embeddings.weight" && !file->find(name) &&
        file->find("backbone.embedding.weight")) {
      name = "backbone.embedding.weight";  // mamba_ssm's original spelling
    }
    std::vector<float> v = file->readFloat(name, slot.shape);
    std::copy(v.begin(), v.end(), slot.data);
  }
  if (file->find("lm_head.weight")) {
    std::vector<float> head =
        file->readFloat("lm_head.weight", {config.vocabSize, config.dModel});
    if (head != w.embedding.data) {
      w.lmHead = Matrix(config.vocabSize, config.dModel);
      w.lmHead.data = std::move(head);
    }
  }
  // Names the model does not know mean the checkpoint is for another shape
  // (e.g. more layers): refuse rather than silently ignore weights.
  for (const auto& [name, info] : file->tensors()) {
    bool known = name == "lm_head.weight" || name == "backbone.embedding.weight";
    for (auto& slot : slots(w)) known = known || slot.name == name;
    if (!known) {
      throw CheckpointError(fmt::format("{}: unexpected tensor {} for model {} ({} layers)", path,
                                        name, config.name, config.nLayer));
    }
  }
  return w;
}

void saveCheckpoint(const std::string& path, const Mamba2Weights& weights, DType dtype) {
  if (weights.onlineHadamard) {
    // The HF layout has no place for "out_proj expects a rotated input".
    throw CheckpointError(fmt::format("{}: weights with an online Hadamard (out_proj pre-rotated) "
                                      "cannot be saved as a Hugging Face checkpoint", path));
  }
  SafetensorsWriter out;
  out.setMetadata("format", "pt");
  out.setMetadata("specmamba_model", weights.config.name);
  for (const auto& slot : slots(weights)) out.add(slot.name, dtype, slot.shape, slot.data);
  if (weights.lmHead.rows) {
    out.add("lm_head.weight", dtype, {weights.config.vocabSize, weights.config.dModel},
            weights.lmHead.data.data());
  }
  out.write(path);
}

}  // namespace specmamba
