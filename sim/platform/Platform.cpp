#include "sim/platform/Platform.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "models/common/Error.h"
#include "sim/memory/DramSpec.h"
#include "sim/platform/Sequencer.h"

namespace specmamba::platform {

namespace {

// Bytes one pass moves, by category and direction (every layer, not only the simulated ones).
void countBytes(const MemoryMap& map, RunResult& r) {
  const uint64_t bus = uint64_t(map.accel().busBytes());
  const auto add = [&](const StreamSegment& s) {
    (s.write ? r.writeBytesPerToken : r.readBytesPerToken)[size_t(s.category)] += s.beats * bus;
  };
  const uint64_t actBeats = (uint64_t(map.model().dModel) * 4 + bus - 1) / bus;
  add({map.embeddingIn().address, actBeats, false, StreamCategory::Activations});
  for (int l = 0; l < map.model().nLayer; ++l) {
    for (const auto& s : map.layer(l).segments) add(s);
  }
  if (map.accel().lmHead == LmHeadPlacement::Accelerator) {
    for (const auto& s : map.lmHeadSegments()) add(s);
  } else {
    add({map.residualOut().address, actBeats, true, StreamCategory::Activations});
  }
}

// The accelerator's bus (accel.busBits per cycle) is made of
// busBits / axi_width_bits of the platform's AXI ports, the stream striped
// beat by beat across them (StreamPort.h); the sequencer counts beats of the
// whole bus, the port beats of one AXI port.
class WideBusPort : public StreamPort {
 public:
  WideBusPort(std::unique_ptr<StreamPort> ports, uint64_t portsPerBeat)
      : ports_(std::move(ports)), ratio_(portsPerBeat) {}
  AccelCycle transfer(const StreamSegment& s, AccelCycle notBefore) override {
    StreamSegment p = s;
    p.beats *= ratio_;
    return ports_->transfer(p, notBefore);
  }
  StreamPortStats stats() const override {
    StreamPortStats st = ports_->stats();
    st.readBeats /= ratio_;
    st.writeBeats /= ratio_;
    return st;
  }

 private:
  std::unique_ptr<StreamPort> ports_;
  uint64_t ratio_;
};

}  // namespace

std::unique_ptr<StreamPort> makeAcceleratorPort(const Experiment& e) {
  StreamPortConfig pc = streamPortConfig(e.platform, e.accel.portTiming);
  pc.accelClockMhz = e.accel.clockMhz;
  if (e.accel.portOutstanding > 0) pc.readOutstanding = pc.writeOutstanding = e.accel.portOutstanding;
  // AcceleratorConfig checked busBits: a power of two <= ports x width.
  const int width = e.platform.axiWidthBits;
  if (e.accel.busBits <= width) {
    pc.busBits = e.accel.busBits;
    pc.axiPorts = 1;
    return makeStreamPort(pc);
  }
  if (e.accel.busBits % width != 0) {
    throw ConfigError(fmt::format("accelerator bus of {} bits is not a whole number of the platform's {}-bit AXI ports",
                                  e.accel.busBits, width));
  }
  pc.axiPorts = e.accel.busBits / width;
  return std::make_unique<WideBusPort>(makeStreamPort(pc), uint64_t(pc.axiPorts));
}

RunResult runPlatform(const Experiment& e, const Mamba2Int* golden,
                      const std::function<void(int, int)>& onPass) {
  const bool functional = e.mode == RunMode::Functional;
  if (functional != (golden != nullptr)) {
    throw Error("runPlatform: a functional run needs the golden model, a timing-only run none");
  }
  if (golden && golden->weights().precision != e.accel.precision) {
    throw Error("runPlatform: the golden model's precision differs from the accelerator's");
  }
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  const MemoryMap map(e.model, e.accel);
  const auto port = makeAcceleratorPort(e);

  std::unique_ptr<DramImage> image;
  if (golden) image = std::make_unique<DramImage>(map, golden->weights(), golden->initialState());

  RunResult r;
  r.simulatedLayers = e.simulatedLayers();
  r.reused = r.simulatedLayers < e.model.nLayer;
  SequencerSetup s;
  s.experiment = &e;
  s.map = &map;
  s.port = port.get();
  s.image = image.get();
  s.golden = golden;
  // Passes: the prompt in chunks of up to TP tokens (one weight pass each),
  // then one per generated token after the first. Every decode pass of a
  // timing-only run has the same schedule (each starts from idle after the
  // host's turn): with reuse, one decode pass stands for all.
  const int P = int(e.prompt.size());
  if (r.reused) {
    s.passTokens = {1};
  } else {
    for (int done = 0; done < P; done += e.accel.tp)
      s.passTokens.push_back(std::min(e.accel.tp, P - done));
    for (int i = 1; i < e.tokens; ++i) s.passTokens.push_back(1);
  }
  const int passes = int(s.passTokens.size());
  s.layersPerPass = r.simulatedLayers;
  s.prompt = e.prompt;
  s.traceLayer = e.traceLayer;
  if (onPass) s.onPass = [&](int done) { onPass(done, passes); };
  Sequencer seq("sequencer", s);
  try {
    sc_core::sc_start();
  } catch (const sc_core::sc_report& ex) {
    throw Error(fmt::format("SystemC: {}", ex.what()));
  }
  seq.rethrow();

  const auto& starts = seq.passStarts();
  const auto& ends = seq.passEnds();
  const auto& layerEnds = seq.layerEnds();
  if (int(ends.size()) != passes)
    throw Error("platform: the simulation stopped before the last pass");
  r.passes = passes;
  r.tokens = seq.generated();
  r.port = port->stats();
  const int L = e.model.nLayer, W = r.simulatedLayers;
  if (W >= 2) r.layerPeriod = layerEnds[size_t(W - 1)] - layerEnds[size_t(W - 2)];
  const ActivityLog& log = seq.activity();
  // Per-token figures come from the decode passes (one token each, after
  // the prompt); the prompt passes are reported as a total.
  const int promptPasses = r.reused ? 0 : passes - (e.tokens - 1);
  const int first = promptPasses < passes ? promptPasses : 0;
  WindowActivity total;
  Cycle cycles = 0;
  for (int p = first; p < passes; ++p) {
    total += log.window(starts[size_t(p)], ends[size_t(p)]);
    cycles += ends[size_t(p)] - starts[size_t(p)];
  }
  if (r.reused) {
    total += log.window(layerEnds[size_t(W - 2)], layerEnds[size_t(W - 1)]).scaled(uint64_t(L - W));
    cycles += r.layerPeriod * Cycle(L - W);
  }
  const Cycle counted = Cycle(passes - first);
  r.firstPassCycles = r.reused ? cycles : ends[0] - starts[0];
  r.cyclesPerToken = (cycles + counted / 2) / counted;
  r.perToken = total.divided(counted);
  for (int p = 0; p < promptPasses; ++p) r.promptCycles += ends[size_t(p)] - starts[size_t(p)];
  r.promptPasses = promptPasses;
  countBytes(map, r);
  if (e.traceLayer >= 0) {
    const Cycle from = e.traceLayer == 0 ? starts[0] : layerEnds[size_t(e.traceLayer - 1)];
    const uint64_t periodPs = uint64_t(std::llround(1e6 / e.accel.clockMhz));
    writeActivityVcd(e.traceFile, log, seq.tracedSegments(), from, layerEnds[size_t(e.traceLayer)],
                     periodPs);
  }
  return r;
}

}  // namespace specmamba::platform
