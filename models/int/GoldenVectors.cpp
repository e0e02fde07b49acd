#include "models/int/GoldenVectors.h"

#include <fmt/format.h>

#include <climits>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "models/common/Rng.h"
#include "models/int/Mamba2Int.h"
#include "models/int/QuantAnalysis.h"

namespace specmamba {

using json = nlohmann::ordered_json;
using namespace intops;

namespace {

json pot(const PotVector& v) { return {{"q", v.q}, {"s", v.s}}; }

json linearJson(const IntLinear& L) {
  return {{"rows", L.rows},
          {"cols", L.cols},
          {"bits", L.bits},
          {"group", L.group},
          {"out_shift", L.outShift},
          {"acc_bits", L.accBits},
          {"w", L.w},
          {"s1", L.s1},
          {"s2", L.s2}};
}

json rmsJson(const RmsLut& L) {
  return {{"alpha", std::vector<int64_t>(L.alpha, L.alpha + kRmsSubTables)},
          {"log2denom", std::vector<int>(L.log2denom, L.log2denom + kRmsSubTables)},
          {"offset", std::vector<int>(L.offset, L.offset + kRmsSubTables)},
          {"in_frac", L.inFrac},
          {"table", L.table}};
}

json lutJson(const Lut& L) {
  std::vector<int32_t> x, y;
  const int64_t lo = int64_t(L.alpha) - 100,
                hi = int64_t(L.alpha) + (int64_t(kLutEntries) << L.k) + 100;
  for (int i = 0; i < 512; ++i) x.push_back(int32_t(lo + (hi - lo) * i / 511));
  x.push_back(INT32_MIN);
  x.push_back(INT32_MAX);
  for (int32_t v : x) y.push_back(lut(L, v));
  return {{"alpha", L.alpha},
          {"k", L.k},
          {"ks", L.ks},
          {"in_frac", L.inFrac},
          {"out_frac", L.outFrac},
          {"t", L.t},
          {"ts", L.ts},
          {"x", x},
          {"y", y}};
}

json stateJson(const IntLayerState& s) {
  return {{"conv", {{"q", s.conv.q}, {"s", s.conv.s}}}, {"ssm", {{"h", s.ssm.h}, {"s", s.ssm.s}}}};
}

json traceJson(const IntLayerTrace& t) {
  return {{"residual_in", t.residualIn},
          {"u", t.u},
          {"uq", pot(t.uq)},
          {"zxbcdt", t.zxbcdt},
          {"conv_in", pot(t.convIn)},
          {"conv_out", t.convOut},
          {"silu_xbc", t.siluXbc},
          {"xbc", pot(t.xbc)},
          {"dt_in", t.dtIn},
          {"dt", t.dt},
          {"dtq", pot(t.dtq)},
          {"ssm",
           {{"dtA", t.ssm.dtA},
            {"dA_raw", t.ssm.dARaw},
            {"dA", pot(t.ssm.dA)},
            {"dB_raw", t.ssm.dBRaw},
            {"dB", pot(t.ssm.dB)},
            {"h_new", t.ssm.hNew},
            {"htC", t.ssm.htC},
            {"xD", t.ssm.xD}}},
          {"y", t.y},
          {"silu_z", t.siluZ},
          {"yq", pot(t.yq)},
          {"zq", pot(t.zq)},
          {"yz", t.yz},
          {"gated", t.gated},
          {"rotated", t.rotated},
          {"out_in", pot(t.outIn)},
          {"out", t.out},
          {"residual_out", t.residualOut}};
}

json layerWeightsJson(const IntLayerWeights& L) {
  return {{"in_proj_in_frac", L.inProjInFrac},
          {"out_proj_in_frac", L.outProjInFrac},
          {"norm", rmsJson(L.norm)},
          {"norm_w", L.normW},
          {"in_proj", linearJson(L.inProj)},
          {"conv",
           {{"channels", L.conv.channels},
            {"kernel", L.conv.kernel},
            {"w", L.conv.w},
            {"ws", L.conv.ws},
            {"b", L.conv.b},
            {"bs", L.conv.bs}}},
          {"dt_bias", L.dtBias},
          {"a_q", L.aQ},
          {"a_s", L.aS},
          {"d_q", L.dQ},
          {"d_s", L.dS},
          {"gated_norm", rmsJson(L.gatedNorm)},
          {"gated_norm_w", L.gatedNormW},
          {"out_proj", linearJson(L.outProj)}};
}

json quantizerCases(uint64_t seed) {
  json cases = json::array();
  Rng rng(seed);
  auto add = [&](std::vector<int32_t> x, int bits) {
    std::vector<int8_t> q(8);
    const int s = quantizeGroup(x.data(), 8, bits, q.data());
    cases.push_back({{"bits", bits}, {"x", x}, {"s", s}, {"q", q}});
  };
  for (int bits : {4, 8}) {
    add({0, 0, 0, 0, 0, 0, 0, 0}, bits);
    add({-8, -7, -1, 0, 1, 5, 7, 8}, bits);
    add({-16, -3, -2, -1, 3, 2, 1, 0}, bits);
    add({INT32_MIN, INT32_MAX, 0, 1, -1, 1 << 20, -(1 << 20), 12345}, bits);
    add({1 << 18, 0, 0, 0, 0, 0, 0, -1}, bits);
    for (int i = 0; i < 64; ++i) {
      const int mag = int(rng.below(31));
      std::vector<int32_t> x(8);
      for (auto& v : x)
        v = int32_t(int64_t(rng.below(uint64_t(1) << mag)) - (int64_t(1) << mag) / 2);
      add(x, bits);
    }
  }
  return cases;
}

void write(const std::string& dir, const std::string& name, const json& j,
           std::vector<std::string>& files) {
  writeFileAtomically(dir + "/" + name, j.dump() + "\n");
  files.push_back(name);
}

}  // namespace

std::vector<std::string> exportGoldenVectors(const IntModelWeights& q, const std::string& dir,
                                             const GoldenVectorOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create directory {}: {}", dir, ec.message()));
  const ModelConfig& c = q.config;
  std::vector<std::string> files;

  write(dir, "quantizer.json", {{"cases", quantizerCases(o.seed)}}, files);
  write(dir, "luts.json",
        {{"silu", lutJson(q.silu)}, {"softplus", lutJson(q.softplus)}, {"exp", lutJson(q.exp)}},
        files);
  for (int l = 0; l < c.nLayer; ++l) {
    write(dir, fmt::format("weights_layer{}.json", l), layerWeightsJson(q.layers[size_t(l)]),
          files);
  }

  // Run the model token by token with traces.
  const Mamba2Int m(q);
  IntState st = m.initialState();
  const std::vector<int> tokens = reportTokens(o.tokens, c.vocabSize, o.seed);
  std::vector<json> layerTokens(size_t(c.nLayer), json::array());
  json residualOut = json::array();
  std::vector<int32_t> r(size_t(c.dModel));
  for (int tok : tokens) {
    m.embed(tok, r.data());
    for (int l = 0; l < c.nLayer; ++l) {
      const IntLayerState before = st.layers[size_t(l)];
      IntLayerTrace tr;
      m.layerDecode(l, r.data(), st.layers[size_t(l)], &tr);
      layerTokens[size_t(l)].push_back({{"state_before", stateJson(before)},
                                        {"trace", traceJson(tr)},
                                        {"state_after", stateJson(st.layers[size_t(l)])}});
    }
    residualOut.push_back(r);
  }
  for (int l = 0; l < c.nLayer; ++l) {
    write(dir, fmt::format("layer{}_tokens.json", l),
          {{"layer", l}, {"tokens", layerTokens[size_t(l)]}}, files);
  }
  json hadamard;
  if (q.rotation == RotationMode::Online) {
    const HadamardSplit s = hadamardSplit(c.dInner);
    json cases = json::array();
    for (const auto& t : layerTokens[0])
      cases.push_back({{"x", t["trace"]["gated"]}, {"y", t["trace"]["rotated"]}});
    hadamard = {{"order", c.dInner},
                {"k", s.k},
                {"pow2", s.pow2},
                {"k_matrix", hadamardMatrix(s.k)},
                {"shift", hadamardShift(c.dInner)},
                {"cases", cases}};
    write(dir, "hadamard.json", hadamard, files);
  }
  write(dir, "model.json", {{"tokens", tokens}, {"final_residual", residualOut}}, files);

  json manifest{{"format", "specmamba-golden-vectors"},
                {"version", 1},
                {"model", c.name},
                {"d_model", c.dModel},
                {"d_inner", c.dInner},
                {"n_layer", c.nLayer},
                {"d_state", c.dState},
                {"headdim", c.headdim},
                {"nheads", c.nHeads},
                {"precision", precisionName(q.precision)},
                {"rotation", rotationModeName(q.rotation)},
                {"seed", o.seed},
                {"tokens", tokens},
                {"files", files},
                {"doc", "docs/arithmetic.md#golden-vectors"}};
  write(dir, "manifest.json", manifest, files);
  return files;
}

}  // namespace specmamba
