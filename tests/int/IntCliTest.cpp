// CLI of the integer datapath: quant-report (deterministic, documented keys),
// generate --int, export-vectors (the vectors replay through the operators).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "models/int/IntOps.h"
#include "models/int/IntTables.h"
#include "tests/common/TestSupport.h"

using namespace specmamba;
using namespace specmamba::intops;
using nlohmann::json;
using specmamba::test::readText;
using specmamba::test::runCli;
using specmamba::test::TempDir;

TEST_CASE("quant-report JSON is deterministic and carries the documented keys", "[int][cli]") {
  const auto a =
      runCli("quant-report --model tiny-64 --seed 4 --tokens 32 --error-tokens 8 --json");
  REQUIRE(a.exitCode == 0);
  const auto b =
      runCli("quant-report --model tiny-64 --seed 4 --tokens 32 --error-tokens 8 --json");
  REQUIRE(a.out == b.out);
  const json j = json::parse(a.out);
  REQUIRE(j["model"] == "tiny-64");
  REQUIRE(j["layers"].size() == 2);
  for (const char* k : {"rtn", "rtn_rot", "pot", "pot_rot"}) {
    REQUIRE(j["layers"][0]["out_proj_input_error_pct"]["a4"][k].is_number());
    REQUIRE(j["mean"]["out_proj_input_error_pct"]["a8"][k].is_number());
  }
  for (const char* k : {"rtn", "pot", "pot_release", "pot_rot"}) {
    REQUIRE(j["layers"][1]["output_error_pct"]["w4a4"][k].is_number());
    REQUIRE(j["mean"]["output_error_pct"]["w8a8"][k].is_number());
  }
  for (const char* k : {"none", "offline-only", "online"}) {
    const double v = j["top1_agreement_pct"]["w8a8"][k];
    REQUIRE(v >= 0);
    REQUIRE(v <= 100);
  }
  const auto other =
      runCli("quant-report --model tiny-64 --seed 5 --tokens 32 --error-tokens 8 --json");
  REQUIRE(other.out != a.out);
  const auto text = runCli("quant-report --model tiny-64 --tokens 8 --error-tokens 4");
  REQUIRE(text.exitCode == 0);
  REQUIRE(text.out.find("agreement") != std::string::npos);
  const auto bad = runCli("quant-report --model no-such-model");
  REQUIRE(bad.exitCode == 1);
  REQUIRE(bad.err.find("no-such-model") != std::string::npos);
}

TEST_CASE("generate --int runs the integer model deterministically", "[int][cli]") {
  const std::string args =
      "generate --model tiny-64 --int --precision w8a8 --rotation offline-only --tokens 6 --json "
      "--no-timing";
  const auto a = runCli(args), b = runCli(args);
  REQUIRE(a.exitCode == 0);
  REQUIRE(a.out == b.out);
  const json j = json::parse(a.out);
  REQUIRE(j["precision"] == "w8a8");
  REQUIRE(j["rotation"] == "offline-only");
  REQUIRE(j["generated_tokens"].size() == 6);
  REQUIRE(runCli("generate --model tiny-64 --int --precision w2a2").exitCode != 0);
}

namespace {

PotVector potOf(const json& j) {
  PotVector v;
  v.q = j["q"].get<std::vector<int8_t>>();
  v.s = j["s"].get<std::vector<uint8_t>>();
  return v;
}

IntLinear linearOf(const json& j) {
  IntLinear L;
  L.rows = j["rows"];
  L.cols = j["cols"];
  L.bits = j["bits"];
  L.group = j["group"];
  L.outShift = j["out_shift"];
  L.accBits = j["acc_bits"];
  L.w = j["w"].get<std::vector<int8_t>>();
  L.s1 = j["s1"].get<std::vector<uint8_t>>();
  L.s2 = j["s2"].get<std::vector<uint8_t>>();
  return L;
}

}  // namespace

TEST_CASE("exported golden vectors replay through the operators", "[int][cli][vectors]") {
  TempDir dir;
  const auto r = runCli("export-vectors --model tiny-64 --tokens 3 --out " + dir.path());
  REQUIRE(r.exitCode == 0);
  const json manifest = json::parse(readText(dir.file("manifest.json")));
  REQUIRE(manifest["format"] == "specmamba-golden-vectors");
  REQUIRE(manifest["rotation"] == "online");

  const json quantizer = json::parse(readText(dir.file("quantizer.json")));
  for (const auto& c : quantizer["cases"]) {
    const std::vector<int32_t> x = c["x"];
    std::vector<int8_t> q(8);
    REQUIRE(quantizeGroup(x.data(), 8, c["bits"], q.data()) == c["s"]);
    REQUIRE(q == c["q"].get<std::vector<int8_t>>());
  }
  const json luts = json::parse(readText(dir.file("luts.json")));
  auto lutOf = [&](const char* name) {
    const json& j = luts[name];
    Lut L;
    L.alpha = j["alpha"];
    L.k = j["k"];
    L.ks = j["ks"];
    L.t = j["t"].get<std::vector<int16_t>>();
    L.ts = j["ts"].get<std::vector<uint8_t>>();
    return L;
  };
  for (const char* name : {"silu", "softplus", "exp"}) {
    const Lut L = lutOf(name);
    const std::vector<int32_t> x = luts[name]["x"], y = luts[name]["y"];
    for (size_t i = 0; i < x.size(); ++i) REQUIRE(lut(L, x[i]) == y[i]);
  }

  const json w = json::parse(readText(dir.file("weights_layer0.json")));
  const json tokens = json::parse(readText(dir.file("layer0_tokens.json")))["tokens"];
  REQUIRE(tokens.size() == 3);
  const IntLinear inProj = linearOf(w["in_proj"]), outProj = linearOf(w["out_proj"]);
  const json hadamard = json::parse(readText(dir.file("hadamard.json")));
  HadamardSplit split;
  split.k = hadamard["k"];
  split.pow2 = hadamard["pow2"];
  // Each traced LUT: recorded input -> recorded output -> its 8-bit quantization.
  const Lut silu = lutOf("silu"), softplus = lutOf("softplus"), expL = lutOf("exp");
  const int D = 128, N = 16;
  for (const auto& t : tokens) {
    const json& tr = t["trace"];
    auto lutStage = [&](const Lut& L, const std::vector<int32_t>& in, const json& out,
                        const json& quantized) {
      std::vector<int32_t> got;
      for (const int32_t v : in) got.push_back(lut(L, v));
      REQUIRE(got == out.get<std::vector<int32_t>>());
      const PotVector q = quantizePot(got, 8);
      REQUIRE(q.q == quantized["q"].get<std::vector<int8_t>>());
      REQUIRE(q.s == quantized["s"].get<std::vector<uint8_t>>());
    };
    lutStage(silu, tr["conv_out"], tr["silu_xbc"], tr["xbc"]);
    const std::vector<int32_t> zx = tr["zxbcdt"];
    lutStage(silu, std::vector<int32_t>(zx.begin(), zx.begin() + D), tr["silu_z"], tr["zq"]);
    lutStage(softplus, tr["dt_in"], tr["dt"], tr["dtq"]);
    lutStage(expL, tr["ssm"]["dtA"], tr["ssm"]["dA_raw"], tr["ssm"]["dA"]);
    const PotVector dB = quantizePot(tr["ssm"]["dB_raw"].get<std::vector<int32_t>>(), 8);
    REQUIRE(dB == potOf(tr["ssm"]["dB"]));
    const PotVector uq = potOf(tr["uq"]);
    std::vector<int32_t> y(size_t(inProj.rows));
    linear(inProj, uq.q.data(), uq.s.data(), y.data());
    REQUIRE(y == tr["zxbcdt"].get<std::vector<int32_t>>());
    std::vector<int32_t> g = tr["gated"];
    hadamardInt(g.data(), split, hadamard["k_matrix"].get<std::vector<int8_t>>(),
                hadamard["shift"]);
    REQUIRE(g == tr["rotated"].get<std::vector<int32_t>>());
    const PotVector oq = potOf(tr["out_in"]);
    std::vector<int32_t> o(size_t(outProj.rows));
    linear(outProj, oq.q.data(), oq.s.data(), o.data());
    REQUIRE(o == tr["out"].get<std::vector<int32_t>>());
    // SSM step from the state before and the quantized inputs.
    const PotVector xbc = potOf(tr["xbc"]);
    auto part = [&](int b, int n) {
      PotVector p;
      p.q.assign(xbc.q.begin() + b, xbc.q.begin() + b + n);
      p.s.assign(xbc.s.begin() + b / 8, xbc.s.begin() + (b + n) / 8);
      return p;
    };
    SsmState st;
    st.h = t["state_before"]["ssm"]["h"].get<std::vector<int8_t>>();
    st.s = t["state_before"]["ssm"]["s"].get<std::vector<uint8_t>>();
    const std::vector<int16_t> aQ = w["a_q"];
    const std::vector<uint8_t> aS = w["a_s"], dS = w["d_s"];
    const std::vector<int8_t> dQ = w["d_q"];
    SsmParams p;
    p.nHeads = 8;
    p.headdim = 16;
    p.dState = N;
    p.aQ = aQ.data();
    p.aS = aS.data();
    p.dQ = dQ.data();
    p.dS = dS.data();
    p.exp = &expL;
    std::vector<int32_t> ys(static_cast<size_t>(D));
    ssmStep(p, part(0, D), part(D, N), part(D + N, N), potOf(tr["dtq"]), st, ys.data());
    REQUIRE(ys == tr["y"].get<std::vector<int32_t>>());
    REQUIRE(st.h == t["state_after"]["ssm"]["h"].get<std::vector<int8_t>>());
  }
}
