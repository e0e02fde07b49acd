#pragma once
// Integer golden model of Mamba2 (SPEC §3): what the accelerator computes,
// bit for bit. Residual stream int32 Q10; embedding, final norm and LM head
// stay FP32 on the host, as in the LightMamba release (SPEC §4).
//
// Entry points mirror the FP32 model: a layer for one token (layerDecode) or
// a batch of tokens (layerBatch: in_proj / out_proj for all tokens with each
// weight row read once, the conv and SSM token by token, bit-identical to
// decoding the tokens one by one), a whole model, greedy generation. States
// are plain copyable values: snapshot = copy, restore = assign.
#include <vector>

#include "models/int/IntModelWeights.h"

namespace specmamba {

struct IntLayerState {
  intops::ConvWindow conv;  // int8 inputs (+ exponents) of the last 3 tokens
  intops::SsmState ssm;     // int8 h [N][d_inner] (+ exponents along headdim)
  bool operator==(const IntLayerState& o) const { return conv == o.conv && ssm == o.ssm; }
};

struct IntState {
  std::vector<IntLayerState> layers;
  bool operator==(const IntState& o) const { return layers == o.layers; }
};

// Every intermediate of one layer for one token (golden vectors, debugging).
struct IntLayerTrace {
  std::vector<int32_t> residualIn, u;  // u: pre-norm output, Q(inProjInFrac)
  intops::PotVector uq;                // in_proj input (4/8-bit)
  std::vector<int32_t> zxbcdt;         // in_proj output, Q10
  intops::PotVector convIn;            // xBC quantized, 8-bit
  std::vector<int32_t> convOut;        // Q10
  std::vector<int32_t> siluXbc;        // SiLU(conv), the LUT output before quantization
  intops::PotVector xbc;               // SiLU(conv) quantized: x | B | C
  std::vector<int32_t> dtIn;           // dt_raw + bias, the softplus LUT input
  std::vector<int32_t> dt;             // softplus(dt_raw + bias), Q10
  intops::PotVector dtq;
  intops::SsmTrace ssm;
  std::vector<int32_t> y;        // Q12
  std::vector<int32_t> siluZ;    // SiLU(z), the LUT output before quantization
  intops::PotVector yq, zq;      // y and SiLU(z), 8-bit
  std::vector<int32_t> yz;       // Q12
  std::vector<int32_t> gated;    // gated-norm output, Q(outProjInFrac)
  std::vector<int32_t> rotated;  // after the HTU (== gated when off)
  intops::PotVector outIn;       // out_proj input (4/8-bit)
  std::vector<int32_t> out;      // out_proj output, Q10
  std::vector<int32_t> residualOut;
};

class Mamba2Int {
 public:
  // The weights must outlive the model.
  explicit Mamba2Int(const IntModelWeights& weights);

  const ModelConfig& config() const { return w_.config; }
  const IntModelWeights& weights() const { return w_; }
  IntState initialState() const;

  // Host side: FP32 embedding row -> Q10 residual; Q10 residual -> FP32 final
  // norm + LM head.
  void embed(int token, int32_t* residual) const;
  void head(const int32_t* residual, float* logits) const;

  // residual[d_model] += mixer(norm(residual)) for one token.
  void layerDecode(int layer, int32_t* residual, IntLayerState& state, IntLayerTrace* trace = nullptr) const;
  // The same for `tokens` tokens in sequence (residual: [tokens][d_model]).
  void layerBatch(int layer, int tokens, int32_t* residual, IntLayerState& state) const;

  void decode(int token, IntState& state, float* logits) const;
  // Prompt of T >= 1 tokens through layerBatch; logits of the last token.
  void prefill(const std::vector<int>& tokens, IntState& state, float* lastLogits) const;
  std::vector<int> generateGreedy(const std::vector<int>& prompt, int count, IntState& state) const;

  // --- Phases of a layer (what layerDecode/layerBatch compose; the
  // speculative tree walk arranges them differently). All bit-exact. ---
  // Phase 1: pre-norm, quantize, in_proj for `tokens` rows (each weight row read once).
  // zx gets [tokens][in_proj_out] (Q10).
  void project(int layer, int tokens, const int32_t* residual, int32_t* zx,
               IntLayerTrace* trace = nullptr) const;
  // Phase 2a: one token's conv input: xBC quantized to 8 bits (what the conv window keeps).
  intops::PotVector convInput(const int32_t* zxRow) const;
  // Phase 2b: conv over `window` (not modified) and this input, SiLU, 8-bit
  // x | B | C; dt = softplus(dt_raw + bias) quantized.
  struct SsmInputs {
    intops::PotVector x, B, C, dt;
    bool operator==(const SsmInputs& o) const { return x == o.x && B == o.B && C == o.C && dt == o.dt; }
  };
  SsmInputs prepare(int layer, const intops::ConvWindow& window, const intops::PotVector& convIn,
                    const int32_t* zxRow, IntLayerTrace* trace = nullptr) const;
  // Shifts `convIn` into the window (oldest input out).
  void pushConvInput(intops::ConvWindow& window, const intops::PotVector& convIn) const;
  // Phase 3: SSM step of heads [h0, h1) (multiples of 8: dt, A and D carry
  // one exponent per 8 heads). `tile` holds those heads' state
  // ([N][(h1-h0)·P], see sliceHeads); y gets their d_inner outputs (Q14).
  void ssmHeads(int layer, int h0, int h1, const SsmInputs& in, intops::SsmState& tile, int32_t* y,
                intops::SsmTrace* trace = nullptr) const;
  intops::SsmState sliceHeads(const intops::SsmState& full, int h0, int h1) const;
  void storeHeads(intops::SsmState& full, const intops::SsmState& tile, int h0, int h1) const;
  // Phase 4: y of `tokens` rows -> gate with SiLU(z), gated norm, HTU,
  // quantize, out_proj, residual add.
  void finish(int layer, int tokens, const int32_t* zx, const int32_t* y, int32_t* residual,
              IntLayerTrace* trace = nullptr) const;

 private:
  void layerImpl(int layer, int tokens, int32_t* residual, IntLayerState& st, IntLayerTrace* trace) const;

  const IntModelWeights& w_;
  HadamardSplit htu_;
  std::vector<int8_t> htuK_;
  int htuShift_ = 0;
};

}  // namespace specmamba
