#include "sim/platform/Sequencer.h"

#include <algorithm>

namespace specmamba::platform {

using intops::kGroup;
using intops::PotVector;

// The on-chip vectors of the layer in flight (functional runs).
struct Sequencer::LayerData {
  std::vector<int32_t> u, zx, yz, out;
  std::vector<int8_t> xq;
  std::vector<uint8_t> xs;
  Mamba2Int::SsmInputs in;
  PotVector convIn;
  intops::ConvWindow window;
  intops::IntConv conv;
  intops::SsmState state;

  LayerData(const ModelConfig& m, int tp)
      : u(size_t(tp) * size_t(std::max(m.dModel, m.dInner))),
        zx(size_t(tp) * size_t(m.inProjOut())),
        yz(size_t(tp) * size_t(m.dInner)),
        out(size_t(tp) * size_t(m.dModel)),
        xq(u.size()),
        xs(u.size() / kGroup),
        in{PotVector(m.dInner), PotVector(m.dState), PotVector(m.dState), PotVector(m.nHeads)},
        convIn(m.convDim()) {}
};

// The MMU's view of one linear layer's weights in the stream.
class Sequencer::Feed final : public WeightFeed {
 public:
  using OnRows = std::function<void(int tile, const int32_t* y)>;
  Feed(Sequencer& s, int block, int firstSegment, const LinearLayout& L,
       std::function<int(int64_t)> segmentThrough, const intops::IntLinear* proto, OnRows onRows)
      : s_(s),
        block_(block),
        next_(firstSegment),
        L_(L),
        through_(std::move(segmentThrough)),
        proto_(proto),
        onRows_(std::move(onRows)) {
    const auto& segs = s.blockSegments(block);
    for (const auto& seg : segs) {
      if (seg.category == StreamCategory::Weights) weightBeats_ += seg.beats;
      if (seg.category == StreamCategory::Scales) scaleBeats_ += seg.beats;
    }
  }

  WeightTile acquire(int t) override {
    const int last = through_(L_.beatsThroughTile(t, s_.accel_.busBytes()));
    for (; next_ <= last; ++next_) s_.waitSegment(block_, next_);
    WeightTile w;
    w.row0 = t * L_.cop;
    w.rows = L_.tileRows(t);
    w.packedBytes = int64_t(w.rows) * L_.tileBytes / L_.cop;
    if (s_.setup_.image) {
      tile_ = s_.setup_.image->linearTile(L_, t, *proto_);
      w.weights = &tile_;
      w.packed = s_.setup_.image->at(L_.weights.address + uint64_t(L_.tileOffset(t)));
    }
    return w;
  }

  void release(int t, const int32_t* y) override {
    const uint64_t bus = uint64_t(s_.accel_.busBytes());
    const uint64_t before =
        uint64_t(t == 0 ? L_.weightBeatsBefore : L_.beatsThroughTile(t - 1, int64_t(bus)));
    const uint64_t through = uint64_t(L_.beatsThroughTile(t, int64_t(bus)));
    // Scale beats leave the buffer in proportion to the weight beats.
    const uint64_t scales =
        scaleBeats_ * through / weightBeats_ - scaleBeats_ * before / weightBeats_;
    s_.returnCredits(through - before + scales);
    onRows_(t, y);
  }

 private:
  Sequencer& s_;
  int block_;
  int next_;
  const LinearLayout& L_;
  std::function<int(int64_t)> through_;
  const intops::IntLinear* proto_;
  OnRows onRows_;
  uint64_t weightBeats_ = 0, scaleBeats_ = 0;
  intops::IntLinear tile_;
};

}  // namespace specmamba::platform

namespace specmamba::platform {

Sequencer::Sequencer(sc_core::sc_module_name name, const SequencerSetup& setup)
    : sc_module(name),
      setup_(setup),
      model_(setup.map->model()),
      accel_(setup.map->accel()),
      layersPerPass_(setup.layersPerPass) {
  ctx_.model = &model_;
  ctx_.accel = &accel_;
  ctx_.period = sc_core::sc_time(1e3 / accel_.clockMhz, sc_core::SC_NS);
  for (const auto& [unit, impl] : accel_.units) {
    if (impl != "fast" && !clock_)
      clock_ = std::make_unique<sc_core::sc_clock>("clock", ctx_.period);
  }
  ctx_.clock = clock_.get();
  ctx_.log = &log_;
  ctx_.golden = setup.golden;
  units_ = makeUnits(ctx_);
  if (setup.image) data_ = std::make_unique<LayerData>(model_, accel_.tp);

  // Rows of the stored in_proj order each SSM step waits for.
  const std::vector<int>& order = setup.map->layer(0).inProj.order;
  std::vector<int> stored(order.size());
  for (size_t i = 0; i < order.size(); ++i) stored[size_t(order[i])] = int(i);
  const int D = model_.dInner, N = model_.dState, P = model_.headdim, H = model_.nHeads;
  const auto need = [&](int from, int count, int atLeast) {
    for (int r = from; r < from + count; ++r) atLeast = std::max(atLeast, stored[size_t(r)] + 1);
    return atLeast;
  };
  needBC_ = need(2 * D, 2 * N, 0);
  for (int h = 0; h < H; h += kGroup) {
    int n = need(2 * D + 2 * N + h, kGroup, needBC_);  // dt of the group
    n = need(D + h * P, kGroup * P, n);                // x
    needGroup_.push_back(need(h * P, kGroup * P, n));  // z
  }

  creditCapacity_ = uint64_t(accel_.weightBufferBytes / accel_.busBytes());
  const auto rowBeats = [&](int rows) {
    return uint64_t((int64_t(rows) * model_.dModel * 4 + accel_.busBytes() - 1) /
                    accel_.busBytes());
  };
  for (int t = 0; t <= accel_.tp; ++t) {
    embeddingRead_.push_back(
        {{setup.map->embeddingIn().address, rowBeats(t), false, StreamCategory::Activations}});
  }
  residualWrite_ = {
      {setup.map->residualOut().address, rowBeats(1), true, StreamCategory::Activations}};

  SC_THREAD(readerProcess);
  SC_THREAD(mainProcess);
  SC_THREAD(ssmProcess);
}

Sequencer::~Sequencer() = default;

const std::vector<StreamSegment>& Sequencer::blockSegments(int block) const {
  const int j = block % (layersPerPass_ + 2);
  if (j == 0)
    return embeddingRead_[size_t(setup_.passTokens[size_t(block / (layersPerPass_ + 2))])];
  if (j <= layersPerPass_) return setup_.map->layer(j - 1).segments;
  return accel_.lmHead == LmHeadPlacement::Accelerator ? setup_.map->lmHeadSegments()
                                                       : residualWrite_;
}

Cycle Sequencer::now() const { return ctx_.now(); }

void Sequencer::waitUntil(Cycle c) {
  const Cycle t = now();
  if (c > t) wait(ctx_.period * double(c - t));
}

void Sequencer::waitSegment(int block, int seg) {
  waitFor(issued_, [&] { return int(arrivals_[block].size()) > seg; });
  waitUntil(arrivals_[block][size_t(seg)]);
}

void Sequencer::issue(int block, const StreamSegment& s) {
  if (s.category == StreamCategory::Weights || s.category == StreamCategory::Scales) {
    waitFor(credit_, [&] { return creditsUsed_ + s.beats <= creditCapacity_; });
    creditsUsed_ += s.beats;
  }
  const Cycle issued = now();
  arrivals_[block].push_back(setup_.port->transfer(s, issued));
  if (setup_.traceLayer >= 0 && block == blockKey(0, 1 + setup_.traceLayer)) {
    traced_.push_back({issued, arrivals_[block].back(), s.write, s.category});
  }
  issued_.notify(sc_core::SC_ZERO_TIME);
}

void Sequencer::returnCredits(uint64_t beats) {
  creditsUsed_ -= beats;
  credit_.notify(sc_core::SC_ZERO_TIME);
}

void Sequencer::readerThread() {
  for (int p = 0; p < int(setup_.passTokens.size()); ++p) {
    waitFor(hostEvent_, [&] { return hostDone_ > p; });
    issue(blockKey(p, 0), blockSegments(blockKey(p, 0))[0]);
    for (int l = 0; l < layersPerPass_; ++l) {
      const int block = blockKey(p, 1 + l), li = p * layersPerPass_ + l;
      const LayerLayout& L = setup_.map->layer(l);
      for (int i = 0; i < int(L.segments.size()); ++i) {
        if (i == L.convStateWrite) waitFor(gateEvent_, [&] { return convReady_ > li; });
        if (i == L.ssmStateWrite) waitFor(gateEvent_, [&] { return ssmReady_ > li; });
        issue(block, L.segments[size_t(i)]);
      }
    }
    const int tail = blockKey(p, layersPerPass_ + 1);
    if (accel_.lmHead == LmHeadPlacement::Host) {
      waitFor(residualEvent_, [&] { return residualReady_ > p; });
    }
    for (const StreamSegment& s : blockSegments(tail)) issue(tail, s);
  }
}

// The host's share of a token (embedding, LM head) is added to the report
// analytically (HostModel); in simulated time the next pass starts at once,
// so a ticking accelerator clock (rtl units) never idles through it.
void Sequencer::mainThread() {
  const int dm = model_.dModel, passes = int(setup_.passTokens.size());
  std::vector<int32_t> residual(size_t(accel_.tp) * size_t(dm));
  std::vector<float> logits(size_t(model_.vocabSize));
  const MemoryMap& map = *setup_.map;
  size_t prompted = 0;  // prompt tokens already sent
  for (int p = 0; p < passes; ++p) {
    const int T = setup_.passTokens[size_t(p)];
    passStart_.push_back(now());
    if (setup_.image) {
      for (int t = 0; t < T; ++t) {
        const int token =
            prompted < setup_.prompt.size() ? setup_.prompt[prompted++] : generated_.back();
        setup_.golden->embed(token, residual.data() + size_t(t) * size_t(dm));
      }
      setup_.image->writeWords(map.embeddingIn(), residual.data(), T * dm);
    }
    ++hostDone_;
    hostEvent_.notify(sc_core::SC_ZERO_TIME);
    waitSegment(blockKey(p, 0), 0);
    if (setup_.image) setup_.image->readWords(map.embeddingIn(), residual.data(), T * dm);
    for (int l = 0; l < layersPerPass_; ++l) runLayer(p, l, T, residual);
    int32_t* last =
        residual.data() + size_t(T - 1) * size_t(dm);  // the token whose successor is predicted
    if (accel_.lmHead == LmHeadPlacement::Accelerator) {
      runLmHead(p, residual);
    } else {
      if (setup_.image) setup_.image->writeWords(map.residualOut(), last, dm);
      ++residualReady_;
      residualEvent_.notify(sc_core::SC_ZERO_TIME);
      waitSegment(blockKey(p, layersPerPass_ + 1), 0);
    }
    passEnd_.push_back(now());
    // The reader has moved past the previous pass (it issued this pass's blocks after it).
    if (p > 0) arrivals_.erase(arrivals_.find(blockKey(p - 1, 0)), arrivals_.find(blockKey(p, 0)));
    if (setup_.image && prompted == setup_.prompt.size()) {
      // Host: final norm + LM head over the residual the accelerator wrote back.
      setup_.image->readWords(map.residualOut(), last, dm);
      setup_.golden->head(last, logits.data());
      generated_.push_back(int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
    }
    if (setup_.onPass) setup_.onPass(p + 1);
  }
  sc_core::sc_stop();  // the clock would tick forever
}

void Sequencer::runLayer(int p, int l, int T, std::vector<int32_t>& residual) {
  const int block = blockKey(p, 1 + l), li = p * layersPerPass_ + l;
  const LayerLayout& L = setup_.map->layer(l);
  const IntLayerWeights* w = setup_.golden ? &setup_.golden->weights().layers[size_t(l)] : nullptr;
  LayerData* d = data_.get();
  const int bits = accel_.weightBits(), dm = model_.dModel, D = model_.dInner, rows = L.inProj.rows;
  // Row t of a [T][n] vector of the layer data, null in timing-only runs.
  const auto row = [d](auto LayerData::*v, int t, int n) {
    return d ? (d->*v).data() + size_t(t) * size_t(n) : nullptr;
  };
  const auto res = [&](int t) { return d ? residual.data() + size_t(t) * size_t(dm) : nullptr; };

  for (int t = 0; t < T; ++t) {
    units_.norm->rmsnorm({dm, w ? &w->norm : nullptr, w ? w->normW.data() : nullptr, res(t),
                          row(&LayerData::u, t, dm)});
  }
  units_.quant->quantize({T * dm, bits, row(&LayerData::u, 0, 0), row(&LayerData::xq, 0, 0),
                          row(&LayerData::xs, 0, 0)});
  rowsDone_ = 0;
  layerTokens_ = T;
  ssmStarted_ = li + 1;
  ssmStartEvent_.notify(sc_core::SC_ZERO_TIME);

  const auto through = [&L](int64_t beats) { return L.segmentThroughWeightBeat(beats); };
  Feed in(*this, block, L.firstWeight, L.inProj, through, w ? &w->inProj : nullptr,
          [&](int tile, const int32_t* y) {
            const int n = L.inProj.tileRows(tile);
            for (int t = 0; y && t < T; ++t) {
              for (int r = 0; r < n; ++r) {
                d->zx[size_t(t) * size_t(rows) +
                      size_t(L.inProj.order[size_t(tile * L.inProj.cop + r)])] =
                    y[size_t(t) * size_t(n) + size_t(r)];
              }
            }
            rowsDone_ = tile * L.inProj.cop + n;
            rowsEvent_.notify(sc_core::SC_ZERO_TIME);
          });
  units_.mmu->linear({LinearKind::InProj, l, rows, L.inProj.cols, T, L.inProj.tiles,
                      row(&LayerData::xq, 0, 0), row(&LayerData::xs, 0, 0)},
                     in);

  waitFor(ssmDoneEvent_, [&] { return ssmReady_ > li; });
  for (int t = 0; t < T; ++t) {
    units_.norm->rmsnorm({D, w ? &w->gatedNorm : nullptr, w ? w->gatedNormW.data() : nullptr,
                          row(&LayerData::yz, t, D), row(&LayerData::u, t, D)});
    if (setup_.experiment->rotation == RotationMode::Online)
      units_.htu->rotate({D, row(&LayerData::u, t, D)});
  }
  units_.quant->quantize({T * D, bits, row(&LayerData::u, 0, 0), row(&LayerData::xq, 0, 0),
                          row(&LayerData::xs, 0, 0)});
  Feed out(*this, block, L.firstWeight, L.outProj, through, w ? &w->outProj : nullptr,
           [&](int tile, const int32_t* y) {
             const int n = L.outProj.tileRows(tile);
             for (int t = 0; y && t < T; ++t) {
               std::copy(y + size_t(t) * size_t(n), y + size_t(t + 1) * size_t(n),
                         d->out.begin() + long(t) * dm + tile * L.outProj.cop);
             }
           });
  units_.mmu->linear({LinearKind::OutProj, l, L.outProj.rows, L.outProj.cols, T, L.outProj.tiles,
                      row(&LayerData::xq, 0, 0), row(&LayerData::xs, 0, 0)},
                     out);
  units_.residual->add({T * dm, res(0), row(&LayerData::out, 0, 0)});
  layerEnd_.push_back(now());
}

void Sequencer::runLmHead(int p, std::vector<int32_t>&) {
  // Timing-only (Experiment rejects a functional run with the LM head on the
  // accelerator: the golden model keeps it in FP32 on the host).
  const LinearLayout& L = setup_.map->lmHead();
  const int dm = model_.dModel;
  units_.norm->rmsnorm({dm, nullptr, nullptr, nullptr, nullptr});
  units_.quant->quantize({dm, accel_.weightBits(), nullptr, nullptr, nullptr});
  const MemoryMap& map = *setup_.map;
  Feed head(
      *this, blockKey(p, layersPerPass_ + 1), 0, L,
      [&map](int64_t beats) { return map.lmHeadSegmentThrough(beats); }, nullptr,
      [](int, const int32_t*) {});
  units_.mmu->linear({LinearKind::LmHead, 0, L.rows, L.cols, 1, L.tiles, nullptr, nullptr}, head);
}

void Sequencer::ssmThread() {
  const int D = model_.dInner, N = model_.dState, P = model_.headdim, H = model_.nHeads;
  const int rows = model_.inProjOut();
  for (int li = 0;; ++li) {
    waitFor(ssmStartEvent_, [&] { return ssmStarted_ > li; });
    const int p = li / layersPerPass_, l = li % layersPerPass_, block = blockKey(p, 1 + l),
              T = layerTokens_;
    const LayerLayout& L = setup_.map->layer(l);
    LayerData* d = data_.get();
    DramImage* image = setup_.image;
    waitSegment(block, L.convStateRead);
    waitSegment(block, L.convWeightsRead);
    if (image) {
      d->window = image->convState(l);
      d->conv = image->convWeights(l, setup_.golden->weights().layers[size_t(l)].conv);
    }
    waitSegment(block, L.ssmStateRead);
    if (image) d->state = image->ssmState(l);
    // The conv and the SSM walk the pass's tokens in order (each needs the
    // window and state its predecessor left); the first token starts as soon
    // as its in_proj rows exist, the rest find them done.
    for (int t = 0; t < T; ++t) {
      const int32_t* zx = d ? d->zx.data() + size_t(t) * size_t(rows) : nullptr;
      const auto conv = [&](int c0, int c1) {
        units_.conv->channels({l, c0, c1, zx, d ? &d->window : nullptr, d ? &d->conv : nullptr,
                               d ? &d->convIn : nullptr, d ? &d->in : nullptr});
      };
      waitFor(rowsEvent_, [&] { return rowsDone_ >= needBC_; });
      conv(D, D + 2 * N);
      for (int g = 0; g * kGroup < H; ++g) {
        const int h0 = g * kGroup, h1 = std::min(H, h0 + kGroup);
        waitFor(rowsEvent_, [&] { return rowsDone_ >= needGroup_[size_t(g)]; });
        conv(h0 * P, h1 * P);
        if (h1 == H) {
          if (image) setup_.golden->pushConvInput(d->window, d->convIn);
          if (t + 1 == T) {
            if (image) image->storeConvState(l, d->window);
            ++convReady_;
            gateEvent_.notify(sc_core::SC_ZERO_TIME);
          }
        }
        units_.ssmu->headGroup({l, h0, h1, d ? &d->in : nullptr, zx, d ? &d->state : nullptr,
                                d ? d->yz.data() + size_t(t) * size_t(D) : nullptr});
      }
    }
    if (image) image->storeSsmState(l, d->state);
    ++ssmReady_;
    gateEvent_.notify(sc_core::SC_ZERO_TIME);
    ssmDoneEvent_.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace specmamba::platform
