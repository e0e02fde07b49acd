#pragma once
// FP32 golden model of Mamba2 (SPEC §2): the reference every other model is
// compared with. Two paths that must agree:
//  * decode(): one token, recurrent SSM update, carries Mamba2State;
//  * prefill(): a whole prompt, linear layers as GEMMs and the SSM as the
//    chunked state-space-duality scan (quadratic inside a chunk, recurrent
//    across chunks).
#include <functional>
#include <memory>
#include <vector>

#include "models/common/Matrix.h"
#include "models/fp32/Mamba2State.h"
#include "models/weights/Mamba2Weights.h"

namespace specmamba {

class HadamardRotation;

// Optional observers/modifiers of the two linear-layer inputs (called with the
// layer index and the vector, in place): the quantization report uses them to
// capture activations and to fake-quantize (RTN). Empty = not called.
struct Fp32Hooks {
  std::function<void(int layer, float* v, int n)> inProjInput;
  std::function<void(int layer, float* v, int n)> outProjInput;  // after the online rotation, if any
};

class Mamba2Fp32 {
 public:
  // The weights must outlive the model.
  explicit Mamba2Fp32(const Mamba2Weights& weights);

  void setHooks(Fp32Hooks hooks) { hooks_ = std::move(hooks); }

  const ModelConfig& config() const { return w_.config; }
  const Mamba2Weights& weights() const { return w_; }
  Mamba2State initialState() const { return Mamba2State::zeros(config()); }

  // One token through every layer. `logits` gets vocab_size values;
  // `finalHidden` (optional) the final-normed hidden state [d_model].
  void decode(int token, Mamba2State& state, float* logits, float* finalHidden = nullptr) const;

  // A prompt of T >= 1 tokens. `lastLogits` gets the logits of the last token;
  // `finalHidden` (optional) becomes [T, d_model] final-normed hidden states.
  void prefill(const std::vector<int>& tokens, Mamba2State& state, float* lastLogits,
               Matrix* finalHidden = nullptr) const;

  // Greedy continuation: prefill `prompt` (may be empty: starts from the
  // current state with no new input is not allowed, so prompt must be non-empty)
  // then `count` argmax tokens.
  std::vector<int> generateGreedy(const std::vector<int>& prompt, int count,
                                  Mamba2State& state) const;

  // --- Layer-level pieces (used by speculative decoding and the tests) ---
  // residual[d_model] += mixer(norm(residual)) for one token. It is the
  // composition of the four phases below, which the speculative tree walk
  // arranges differently (linear phases batched over nodes, SSM per node).
  void layerDecode(int layer, float* residual, LayerState& state) const;

  // Phase 1: pre-norm + in_proj. zxbcdt gets in_proj_out values.
  void project(int layer, const float* residual, float* zxbcdt) const;
  // Phase 1 for T rows at once (one weight read serves every row); bitwise
  // equal to T calls of project().
  void projectBatch(int layer, const Matrix& residual, Matrix& zxbcdt) const;
  // Phase 2: causal conv + SiLU of one token. `window` holds the previous
  // d_conv-1 raw inputs, oldest first; `xbcRaw` this token's raw input.
  void convolve(int layer, const float* window, const float* xbcRaw, float* xbcOut) const;
  // Phase 3: SSM update of heads [h0, h1). `heads` is their state
  // [(h1-h0)][P][N] (updated in place); y gets those heads' outputs (incl. D skip).
  void ssmHeads(int layer, int h0, int h1, const float* xbc, const float* dtRaw, float* heads,
                float* y) const;
  // Phase 4: gate, gated RMSNorm, out_proj, residual add. `y` is clobbered.
  void finish(int layer, const float* z, float* y, float* residual) const;
  // Phase 4 for T rows at once (z from rows of zxbcdt); bitwise equal to T calls of finish().
  void finishBatch(int layer, const Matrix& zxbcdt, Matrix& y, Matrix& residual) const;
  // The same for T tokens at once (rows of `residual`).
  void layerPrefill(int layer, Matrix& residual, LayerState& state) const;
  // final norm + LM head of one residual vector.
  void head(const float* residual, float* logits, float* finalHidden = nullptr) const;
  void embed(int token, float* residual) const;

 private:
  void checkToken(int token) const;
  // Gated-norm output -> out_proj input: the online rotation (when the
  // weights ask for it) and the hook.
  void outProjInput(int layer, float* y) const;

  const Mamba2Weights& w_;
  std::shared_ptr<const HadamardRotation> online_;  // set when w_.onlineHadamard (immutable, shared by copies)
  Fp32Hooks hooks_;
};

int argmax(const float* v, int n);

}  // namespace specmamba
