#pragma once
// The integer golden model (SPEC §3) as a TreeModel backend: a layer's
// phases and state types (see TreeModel.h for the contract). SSM tiles are
// whole groups of 8 heads (dt, A and D carry one exponent per 8 heads).
#include <vector>

#include "models/int/Mamba2Int.h"

namespace specmamba {

// Rows of int32 values (residuals Q10, projections Q10, SSM outputs Q14).
struct IntRows {
  int rows = 0;
  int cols = 0;
  std::vector<int32_t> data;
  IntRows() = default;
  IntRows(int r, int c) : rows(r), cols(c), data(size_t(r) * size_t(c), 0) {}
  int32_t* row(int r) { return data.data() + size_t(r) * size_t(cols); }
  const int32_t* row(int r) const { return data.data() + size_t(r) * size_t(cols); }
};

class IntBackend {
 public:
  using Model = Mamba2Int;
  using State = IntState;
  using LayerSt = IntLayerState;
  using Batch = IntRows;
  using Projection = IntRows;
  using ConvIn = intops::PotVector;   // the 8-bit conv input the window keeps
  using Window = intops::ConvWindow;
  using SsmIn = Mamba2Int::SsmInputs; // x, B, C, dt (8-bit PoT): what replay keeps
  using SsmState = intops::SsmState;  // [N][d_inner]; a tile is [N][heads·P]
  using Outputs = IntRows;

  explicit IntBackend(const Mamba2Int& model) : m_(model) {}

  const ModelConfig& config() const { return m_.config(); }
  const Mamba2Int& model() const { return m_; }
  State initialState() const { return m_.initialState(); }
  // Throws unless `tileHeads` is a whole number of 8-head groups.
  void checkTile(int tileHeads) const;

  Batch embed(const std::vector<int>& tokens) const;
  void head(const Batch& residual, int row, float* logits) const { m_.head(residual.row(row), logits); }
  Projection project(int layer, const Batch& residual) const;
  ConvIn convInput(const Projection& zx, int row) const { return m_.convInput(zx.row(row)); }
  const Window& window(const LayerSt& s) const { return s.conv; }
  Window& window(LayerSt& s) const { return s.conv; }
  void pushConvInput(Window& window, const ConvIn& in) const { m_.pushConvInput(window, in); }
  SsmIn prepare(int layer, const Window& window, const ConvIn& in, const Projection& zx, int row) const {
    return m_.prepare(layer, window, in, zx.row(row));
  }
  const SsmState& ssmState(const LayerSt& s) const { return s.ssm; }
  SsmState& ssmState(LayerSt& s) const { return s.ssm; }
  SsmState sliceHeads(const SsmState& full, int h0, int h1) const { return m_.sliceHeads(full, h0, h1); }
  void storeHeads(SsmState& full, const SsmState& tile, int h0, int h1) const {
    m_.storeHeads(full, tile, h0, h1);
  }
  Outputs outputs(int rows) const { return IntRows(rows, config().dInner); }
  void ssmHeads(int layer, int h0, int h1, const SsmIn& in, SsmState& tile, Outputs& y, int row) const {
    m_.ssmHeads(layer, h0, h1, in, tile, y.row(row));
  }
  void finish(int layer, const Projection& zx, Outputs& y, Batch& residual) const {
    m_.finish(layer, residual.rows, zx.data.data(), y.data.data(), residual.data.data());
  }
  void decode(int token, State& s, float* logits) const { m_.decode(token, s, logits); }

 private:
  const Mamba2Int& m_;
};

}  // namespace specmamba
