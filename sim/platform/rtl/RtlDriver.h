#pragma once
// How an rtl unit drives its Verilated SystemC models.
//
// Clock. Every model of a unit is clocked by the unit's clock signal, which
// passes on the accelerator clock's rising edges only while the unit works
// on a job (a gated clock: idle models are not evaluated, which is where an
// rtl run's wall time would otherwise go). One cycle of a job is:
// awaitEdge() (a rising edge of the platform's sc_clock; the signals read now
// are the values the models sample at this edge: the handshakes that fire),
// then pulse() (the models take the edge), then the driver writes the inputs
// of the next cycle. Models chained by shared signals see each other's
// outputs of the previous edge, as wires between registers do.
//
// Configuration is done in zero simulated time through configPulse(): reset
// and the LUT / norm tables before a unit's first job (as at bitstream
// load), a norm-table switch, and the SSMU's per-group A, D and state
// (RtlSsmu.cpp).
#include <systemc>
#include <type_traits>

#include "sim/platform/rtl/Bits.h"
#include "sim/platform/rtl/RtlTrace.h"
#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform::rtl {

using specmamba::rtl::Bits;
template <class T>
using Signal = sc_core::sc_signal<T>;

// The signal that drives / is driven by a Verilated SystemC port (its type:
// bool, uint32_t, uint64_t up to 64 bits, sc_bv<N> above).
template <class Port>
using SignalOf = Signal<typename std::remove_reference_t<Port>::data_type>;

// Writes / reads a whole signal from / into a Bits of its width.
template <class T>
void put(Signal<T>& s, const Bits& b) {
  if constexpr (std::is_same_v<T, bool>) {
    s.write(b.word(0) & 1u);
  } else if constexpr (std::is_integral_v<T>) {
    s.write(T(b.low64()));
  } else {
    T v;
    for (size_t i = 0; i < b.words(); ++i) v.set_word(int(i), b.word(i));
    s.write(v);
  }
}
// A narrow (<= 64 bit) signal.
template <class T, class = std::enable_if_t<std::is_integral_v<T>>>
void put(Signal<T>& s, uint64_t v) {
  s.write(T(v));
}
template <class T>
Bits get(const Signal<T>& s, unsigned width) {
  Bits b(width);
  if constexpr (std::is_integral_v<T>) {
    b.setLow64(uint64_t(s.read()));
  } else {
    const T& v = s.read();
    for (size_t i = 0; i < b.words(); ++i) b.setWord(i, v.get_word(int(i)));
  }
  return b;
}

class UnitClock {
 public:
  UnitClock(const UnitContext& ctx, UnitKind unit);

  Signal<bool>& clk() { return clk_; }
  Signal<bool>& rstN() { return rstN_; }

  void awaitEdge() { sc_core::wait(platform_.posedge_event()); }
  void pulse() {
    clk_.write(true);
    sc_core::wait(sc_core::SC_ZERO_TIME);
    clk_.write(false);
  }
  // One edge in zero simulated time (configuration only).
  void configPulse() {
    pulse();
    sc_core::wait(sc_core::SC_ZERO_TIME);
  }
  // Resets the models (two configuration edges) the first time it is called.
  // Returns true that first time (the caller then loads its tables).
  bool resetOnce();

  // Busy interval of a job: from the first edge to the current one.
  void begin() { start_ = ctx_.now(); }
  void end() { ctx_.log->busy(unit_, start_, ctx_.now() + 1); }
  // The unit waited (for input) from cycle `from` until now: the busy
  // interval ends there and a new one starts now.
  void split(Cycle from) {
    ctx_.log->busy(unit_, start_, from + 1);
    start_ = ctx_.now();
  }
  Cycle now() const { return ctx_.now(); }
  // Throws: the unit's RTL stopped moving (a driver or RTL bug).
  [[noreturn]] void stalled(int in, int inputs, int out, int outputs) const;

 private:
  UnitContext ctx_;
  UnitKind unit_;
  const sc_core::sc_clock& platform_;
  Signal<bool> clk_, rstN_;
  bool reset_ = false;
  Cycle start_ = 0;
};

// Binds a model's clock and reset to the unit's, and (bindStream) its
// data_i / valid_i / ready_o -> data_o / valid_o / ready_i stream ports.
// bindClock also offers the model to the VCD trace (RtlTrace.h).
template <class V>
void bindClock(V& m, UnitClock& clock) {
  m.clk_i(clock.clk());
  m.rst_ni(clock.rstN());
  addTracedModel([&m](VerilatedVcdC* vcd) { m.trace(vcd, 99); });
}
template <class V, class In, class Out>
void bindStream(V& m, In& in, Signal<bool>& valid, Signal<bool>& ready, Out& out,
                Signal<bool>& outValid, Signal<bool>& outReady) {
  m.data_i(in);
  m.valid_i(valid);
  m.ready_o(ready);
  m.data_o(out);
  m.valid_o(outValid);
  m.ready_i(outReady);
}

// Every rtl element-wise unit is the PP = 8 lane RTL: other lane counts are a
// configuration error naming the unit.
void requireLanes(const UnitContext& ctx, UnitKind unit, int lanes);

}  // namespace specmamba::platform::rtl

namespace specmamba::platform::rtl {

// Edges without any handshake after which a job is declared stuck.
constexpr Cycle kStallLimit = 100000;

// The two ends of a unit's stream as its driver sees them: it drives the
// first input (valid / data) and is the sink of the last output (always
// ready).
struct StreamEnds {
  Signal<bool>& inValid;
  const Signal<bool>& inReady;
  const Signal<bool>& outValid;
};

// One job: beats 0..inputs-1 offered in order (`feed(k)` writes beat k's data
// onto the input signals), `outputs` beats taken (`take(j)` reads output j at
// the edge it leaves). Chained stages: `atEdge()` runs at every edge before
// the models take it (it reads the handshakes inside the chain),
// `afterEdge()` after (it writes their side data for the next cycle).
// Returns with the chain drained.
template <class Feed, class Take, class AtEdge, class AfterEdge>
void runJob(UnitClock& clock, const StreamEnds& s, int inputs, int outputs, Feed feed, Take take,
            AtEdge atEdge, AfterEdge afterEdge) {
  clock.awaitEdge();  // present the first beat on a clean cycle boundary
  clock.begin();
  int next = 0, got = 0;
  if (inputs > 0) feed(0);
  s.inValid.write(inputs > 0);
  afterEdge();
  Cycle quiet = 0;  // edges without a handshake at either end
  while (got < outputs) {
    clock.awaitEdge();
    const bool inFire = next < inputs && s.inReady.read();
    const bool outFire = s.outValid.read();
    atEdge();
    if (outFire) take(got++);
    quiet = inFire || outFire ? 0 : quiet + 1;
    if (quiet > kStallLimit) clock.stalled(next, inputs, got, outputs);
    clock.pulse();
    if (inFire && ++next < inputs) feed(next);
    s.inValid.write(next < inputs);
    afterEdge();
  }
  clock.end();
}

template <class Feed, class Take>
void runJob(UnitClock& clock, const StreamEnds& s, int inputs, int outputs, Feed feed, Take take) {
  runJob(
      clock, s, inputs, outputs, feed, take, [] {}, [] {});
}

}  // namespace specmamba::platform::rtl

namespace specmamba::platform::rtl {

// The table port of sm_lut_act (and of the exp LUT inside sm_ssmu): the
// parameters and the two tables, loaded as configuration.
struct LutPort {
  Signal<uint32_t> alpha, k, ks, addr, data;
  Signal<bool> we, sel;
  void load(UnitClock& clock, const intops::Lut& L);
};

}  // namespace specmamba::platform::rtl
