#include "models/speculative/Fp32TreeModel.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "models/common/Error.h"
#include "models/speculative/StateFifo.h"

namespace specmamba {

std::vector<int> topK(const float* logits, int vocab, int k) {
  std::vector<int> idx(static_cast<size_t>(vocab));
  std::iota(idx.begin(), idx.end(), 0);
  k = std::min(k, vocab);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  });
  idx.resize(size_t(k));
  return idx;
}

Fp32TreeModel::Fp32TreeModel(const Mamba2Fp32& model, const TokenTree& tree,
                             const TreeOptions& options, std::vector<LayerPlan> plan)
    : model_(model),
      tree_(tree),
      accounting_(model.config(), tree, options, std::move(plan)),
      tile_(accounting_.tileHeads()) {}

std::vector<float> Fp32TreeModel::windowBefore(int l, int node, const TreePass& pass,
                                               const LayerState& committed) const {
  const auto& c = model_.config();
  const int K = c.dConv, convDim = c.convDim();
  std::vector<float> win(size_t(K - 1) * size_t(convDim));
  // Newest slot first: the parent's input, then the grandparent's, ...
  int slot = K - 2;
  for (int v = tree_.parent(node); slot >= 0 && v >= 0; v = tree_.parent(v), --slot) {
    std::memcpy(win.data() + size_t(slot) * convDim, pass.layers[size_t(l)].rawXbc.row(v),
                sizeof(float) * size_t(convDim));
  }
  // ... and past the root, the tail of the committed window.
  for (int j = 0; j <= slot; ++j) {
    std::memcpy(win.data() + size_t(j) * convDim,
                committed.conv.data() + size_t(K - 1 - (slot + 1) + j) * convDim,
                sizeof(float) * size_t(convDim));
  }
  return win;
}

void Fp32TreeModel::runLayer(int l, const std::vector<int>& nodes, Matrix& residual,
                             const LayerState& committed, TreePass& pass,
                             std::vector<std::vector<float>>* post) const {
  const auto& c = model_.config();
  const int n = int(nodes.size());
  const int convDim = c.convDim(), P = c.headdim, N = c.dState;
  LayerCache& cache = pass.layers[size_t(l)];
  const LayerPlan& plan = accounting_.plan()[size_t(l)];

  Matrix zx;
  model_.projectBatch(l, residual, zx);
  for (int r = 0; r < n; ++r) {
    const int v = nodes[size_t(r)];
    const float* raw = zx.row(r) + c.dInner;
    std::memcpy(cache.rawXbc.row(v), raw, sizeof(float) * size_t(convDim));
    std::memcpy(cache.dtRaw.row(v), raw + convDim, sizeof(float) * size_t(c.nHeads));
    const std::vector<float> win = windowBefore(l, v, pass, committed);
    model_.convolve(l, win.data(), raw, cache.xbc.row(v));
  }

  Matrix y(n, c.dInner);
  const bool keepStates = plan.mode == BacktrackMode::Store;
  if (keepStates) {
    for (int v : nodes) cache.ssmAfter[size_t(v)].assign(committed.ssm.size(), 0.0f);
  }
  if (post == nullptr) {
    // Verification: BFS walk per head tile, parents' tiles from the FIFO.
    const size_t tileElems = size_t(tile_) * P * N;
    for (int h0 = 0; h0 < c.nHeads; h0 += tile_) {
      StateFifo<std::vector<float>> fifo(tree_.fifoDepth());
      const size_t offset = size_t(h0) * P * N;
      for (int r = 0; r < n; ++r) {
        const int v = nodes[size_t(r)];
        const int parent = tree_.parent(v);
        std::vector<float> tile =
            v == 0 ? std::vector<float>(committed.ssm.begin() + long(offset),
                                        committed.ssm.begin() + long(offset + tileElems))
                   : fifo.front(parent);
        if (parent >= 0 && tree_.children(parent).back() == v) fifo.pop();
        model_.ssmHeads(l, h0, h0 + tile_, cache.xbc.row(v), cache.dtRaw.row(v), tile.data(),
                        y.row(r));
        if (keepStates) {
          std::copy(tile.begin(), tile.end(), cache.ssmAfter[size_t(v)].begin() + long(offset));
        }
        if (!tree_.children(v).empty()) fifo.push(v, std::move(tile));
      }
      pass.fifoHighWater = std::max(pass.fifoHighWater, fifo.highWater());
    }
  } else {
    // Drafting, level by level: parents' whole states were kept in `post`.
    auto& states = *post;
    for (int r = 0; r < n; ++r) {
      const int v = nodes[size_t(r)];
      std::vector<float> state = v == 0 ? committed.ssm : states[size_t(tree_.parent(v))];
      model_.ssmHeads(l, 0, c.nHeads, cache.xbc.row(v), cache.dtRaw.row(v), state.data(), y.row(r));
      if (keepStates) cache.ssmAfter[size_t(v)] = state;
      if (!tree_.children(v).empty()) states[size_t(v)] = std::move(state);
    }
  }
  model_.finishBatch(l, zx, y, residual);
}

namespace {

TreePass emptyPass(const ModelConfig& c, int nodes) {
  TreePass pass;
  pass.tokens.assign(size_t(nodes), -1);
  pass.processed.assign(size_t(nodes), false);
  pass.logits = Matrix(nodes, c.vocabSize);
  pass.layers.resize(size_t(c.nLayer));
  for (auto& L : pass.layers) {
    L.rawXbc = Matrix(nodes, c.convDim());
    L.xbc = Matrix(nodes, c.convDim());
    L.dtRaw = Matrix(nodes, c.nHeads);
    L.ssmAfter.resize(size_t(nodes));
  }
  return pass;
}

}  // namespace

TreePass Fp32TreeModel::verify(const std::vector<int>& tokens, const Mamba2State& committed,
                               Ledger& ledger) const {
  const auto& c = model_.config();
  const int n = tree_.size();
  if (int(tokens.size()) != n) {
    throw Error(fmt::format("verify: {} tokens for a tree of {} nodes", tokens.size(), n));
  }
  TreePass pass = emptyPass(c, n);
  pass.tokens = tokens;
  std::vector<int> nodes(static_cast<size_t>(n));
  std::iota(nodes.begin(), nodes.end(), 0);
  Matrix residual(n, c.dModel);
  for (int v = 0; v < n; ++v) model_.embed(tokens[size_t(v)], residual.row(v));
  for (int l = 0; l < c.nLayer; ++l) {
    runLayer(l, nodes, residual, committed.layers[size_t(l)], pass, nullptr);
  }
  accounting_.chargeVerify(ledger);
  for (int v = 0; v < n; ++v) {
    model_.head(residual.row(v), pass.logits.row(v));
    pass.processed[size_t(v)] = true;
  }
  return pass;
}

TreePass Fp32TreeModel::draft(int rootToken, const Mamba2State& committed, Ledger& ledger) const {
  const auto& c = model_.config();
  const int n = tree_.size();
  TreePass pass = emptyPass(c, n);
  pass.tokens[0] = rootToken;
  std::vector<std::vector<std::vector<float>>> post(size_t(c.nLayer),
                                                    std::vector<std::vector<float>>(size_t(n)));
  // Level d holds the nodes of depth d; only nodes with children are run.
  for (int d = 0; d < tree_.maxDepth(); ++d) {
    std::vector<int> level;
    for (int v = 0; v < n; ++v) {
      if (tree_.depth(v) == d && !tree_.children(v).empty()) level.push_back(v);
    }
    Matrix residual(int(level.size()), c.dModel);
    for (size_t r = 0; r < level.size(); ++r) {
      model_.embed(pass.tokens[size_t(level[r])], residual.row(int(r)));
    }
    for (int l = 0; l < c.nLayer; ++l) {
      runLayer(l, level, residual, committed.layers[size_t(l)], pass, &post[size_t(l)]);
    }
    for (size_t r = 0; r < level.size(); ++r) {
      const int v = level[r];
      model_.head(residual.row(int(r)), pass.logits.row(v));
      pass.processed[size_t(v)] = true;
      const auto& kids = tree_.children(v);
      const std::vector<int> best = topK(pass.logits.row(v), c.vocabSize, int(kids.size()));
      for (size_t k = 0; k < kids.size(); ++k) pass.tokens[size_t(kids[k])] = best[k];
    }
  }
  accounting_.chargeDraft(ledger);
  return pass;
}

void Fp32TreeModel::commit(const TreePass& pass, const std::vector<int>& path,
                           Mamba2State& committed, Ledger& ledger) const {
  const auto& c = model_.config();
  const int K = c.dConv, convDim = c.convDim();
  // Nodes the pass processed are committed from its caches; an unprocessed
  // tail (a draft leaf) is decoded afterwards.
  size_t done = 0;
  while (done < path.size() && pass.processed[size_t(path[done])]) ++done;
  const int last = done ? path[done - 1] : -1;
  if (last >= 0) {
    for (int l = 0; l < c.nLayer; ++l) {
      LayerState& st = committed.layers[size_t(l)];
      const LayerCache& cache = pass.layers[size_t(l)];
      const LayerPlan& plan = accounting_.plan()[size_t(l)];
      // Conv window after `last`: its window shifted by its own input.
      std::vector<float> win = windowBefore(l, last, pass, st);
      std::memmove(win.data(), win.data() + convDim, sizeof(float) * size_t(K - 2) * convDim);
      std::memcpy(win.data() + size_t(K - 2) * convDim, cache.rawXbc.row(last),
                  sizeof(float) * size_t(convDim));
      if (plan.mode == BacktrackMode::Store) {
        st.ssm = cache.ssmAfter[size_t(last)];
      } else {
        std::vector<float> y(static_cast<size_t>(c.dInner));
        for (size_t i = 0; i < done; ++i) {
          const int v = path[i];
          model_.ssmHeads(l, 0, c.nHeads, cache.xbc.row(v), cache.dtRaw.row(v), st.ssm.data(),
                          y.data());
        }
      }
      st.conv.swap(win);
    }
  }
  std::vector<float> logits(static_cast<size_t>(c.vocabSize));
  for (size_t i = done; i < path.size(); ++i) {
    model_.decode(pass.tokens[size_t(path[i])], committed, logits.data());
  }
  accounting_.chargeCommit(int(done), int(path.size() - done), ledger);
}

}  // namespace specmamba
