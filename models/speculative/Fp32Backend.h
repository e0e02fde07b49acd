#pragma once
// The FP32 golden model as a TreeModel backend: a layer's phases and state
// types (see TreeModel.h for the contract).
#include <vector>

#include "models/fp32/Mamba2Fp32.h"

namespace specmamba {

class Fp32Backend {
 public:
  using Model = Mamba2Fp32;
  using State = Mamba2State;
  using LayerSt = LayerState;
  using Batch = Matrix;                  // residual rows [nodes, d_model]
  using Projection = Matrix;             // in_proj outputs [nodes, in_proj_out]
  using ConvIn = std::vector<float>;     // a node's raw conv input [conv_dim]
  using Window = std::vector<float>;     // [(d_conv-1) * conv_dim], oldest first
  struct SsmIn {                         // what replay keeps of a node
    std::vector<float> xbc;              // x | B | C after conv + SiLU
    std::vector<float> dtRaw;            // [heads]
  };
  using SsmState = std::vector<float>;   // [heads][P][N]; a tile is a head range
  using Outputs = Matrix;                // SSM outputs [nodes, d_inner]

  explicit Fp32Backend(const Mamba2Fp32& model) : m_(model) {}

  const ModelConfig& config() const { return m_.config(); }
  const Mamba2Fp32& model() const { return m_; }
  State initialState() const { return m_.initialState(); }
  void checkTile(int) const {}

  Batch embed(const std::vector<int>& tokens) const;
  void head(const Batch& residual, int row, float* logits) const { m_.head(residual.row(row), logits); }
  Projection project(int layer, const Batch& residual) const;
  ConvIn convInput(const Projection& zx, int row) const;
  const Window& window(const LayerSt& s) const { return s.conv; }
  Window& window(LayerSt& s) const { return s.conv; }
  void pushConvInput(Window& window, const ConvIn& in) const;
  SsmIn prepare(int layer, const Window& window, const ConvIn& in, const Projection& zx, int row) const;
  const SsmState& ssmState(const LayerSt& s) const { return s.ssm; }
  SsmState& ssmState(LayerSt& s) const { return s.ssm; }
  SsmState sliceHeads(const SsmState& full, int h0, int h1) const;
  void storeHeads(SsmState& full, const SsmState& tile, int h0, int h1) const;
  Outputs outputs(int rows) const { return Matrix(rows, config().dInner); }
  void ssmHeads(int layer, int h0, int h1, const SsmIn& in, SsmState& tile, Outputs& y, int row) const {
    m_.ssmHeads(layer, h0, h1, in.xbc.data(), in.dtRaw.data(), tile.data(), y.row(row));
  }
  void finish(int layer, const Projection& zx, Outputs& y, Batch& residual) const {
    m_.finishBatch(layer, zx, y, residual);
  }
  void decode(int token, State& s, float* logits) const { m_.decode(token, s, logits); }

 private:
  const Mamba2Fp32& m_;
};

}  // namespace specmamba
