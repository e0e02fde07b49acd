#pragma once
// The accelerator's control (SPEC §4 schedule) as three SystemC threads on
// the accelerator clock:
//  * reader: issues every block of the memory stream strictly in order
//    through the StreamPort — per pass the embedding read, each layer's
//    segments (MemoryMap), then the final residual write or the LM head
//    weights. Weight and scale beats take credits of the on-chip weight
//    buffer (bounded read-ahead) that the MMU returns tile by tile; state
//    writes wait until their data exist.
//  * main: per layer the pre-norm, quantizer and in_proj (tile by tile as
//    the weights arrive), then — once the SSM thread is done — the gated
//    norm, HTU, quantizer, out_proj and residual add.
//  * ssm: per layer the conv of B and C, then per group of 8 heads the conv
//    of x and the SSMU, each as soon as in_proj has produced the rows it
//    needs (with reordering: dt, B, C first, then x / z per head group, so
//    the SSMU runs under the in_proj shadow; without: after all of in_proj).
// In a functional run data move through the DramImage and the units compute
// the golden values; in a timing-only run only time moves.
//
// A pass is a PassSpec: rows (tokens) with a parent each, walked through a
// list of layer steps (one group of <= TP rows through one layer, with its
// own stream program). A plain run's passes are chains that commit their
// last row's state (the Sequencer builds them itself from passTokens); a
// driven Sequencer (SequencerSetup::driven) has no main thread and runs the
// passes its caller's SC_THREAD hands to runPass() — the speculative
// scheduler (sim/speculative) drives the draft's and the target's this way.
#include <exception>
#include <functional>
#include <map>
#include <systemc>
#include <vector>

#include "models/int/Mamba2Int.h"
#include "models/speculative/Traffic.h"
#include "sim/platform/ActivityTrace.h"
#include "sim/platform/DramImage.h"
#include "sim/platform/Experiment.h"
#include "sim/platform/MemoryMap.h"
#include "sim/platform/StreamPort.h"
#include "sim/platform/units/UnitRegistry.h"

namespace specmamba::platform {

// One group of rows of a pass through one layer.
struct PassStep {
  int layer = 0;
  int row0 = 0, rows = 0;                // rows [row0, row0 + rows) of the pass, rows <= TP
  const LayerLayout* program = nullptr;  // stream segments + landmarks (-1: absent)
  int64_t onChipStoreBytesPerRow = 0;    // store backtracking on chip: state bytes kept per row
};

struct PassSpec {
  std::vector<int> node;       // per row: key of its state in the node bank
  std::vector<int> parent;     // per row: the parent's key; -1 = the committed state
  std::vector<bool> pushes;    // per row: its state feeds children (tree FIFO push)
  std::vector<int> tokens;     // functional: input token per row
  std::vector<PassStep> steps;
  StreamSegment embedding;     // the rows' embeddings, host -> accelerator
  Region embeddingRegion;
  std::vector<StreamSegment> tail;  // residual rows back to the host
  Region outRegion;
  bool allRows = false;        // every row's residual goes back (else the last one)
  bool commit = true;          // the last row's state becomes the committed one
  int tileHeads = 0;           // SSM walk: heads per tile, all rows per tile (0 = all heads)
  bool overlap = true;         // false: the SSM waits for the whole in_proj of its group
  int64_t fifoTileBytes = 0;   // on-chip tree FIFO: bytes per (row, tile) push or read (0: none)
};

// Backtracking commit of one layer after a speculative step.
struct CommitLayer {
  int layer = 0;
  bool replay = false;               // rebuild from cached inputs (else take a stored state)
  std::vector<StreamSegment> reads;  // cached inputs (replay)
  std::vector<StreamSegment> writes; // the new committed state
};

struct SequencerSetup {
  const Experiment* experiment = nullptr;
  const MemoryMap* map = nullptr;
  StreamPort* port = nullptr;
  DramImage* image = nullptr;         // null: timing-only
  const Mamba2Int* golden = nullptr;  // null: timing-only
  std::vector<int>
      passTokens;         // tokens of each pass (<= TP; prompt chunks, then 1 per generated token)
  int layersPerPass = 0;  // layers simulated per pass (<= n_layer)
  std::vector<int> prompt;          // functional: the prompt the first passes carry
  std::function<void(int)> onPass;  // after each pass (progress)
  int traceLayer = -1;              // record the stream segments of this layer of pass 0
  bool driven = false;              // no main thread: passes come from runPass()
};

class Sequencer : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Sequencer);
  Sequencer(sc_core::sc_module_name name, const SequencerSetup& setup);
  ~Sequencer() override;

  const ActivityLog& activity() const { return log_; }
  const std::vector<Cycle>& passStarts() const { return passStart_; }
  const std::vector<Cycle>& passEnds() const { return passEnd_; }
  const std::vector<Cycle>& layerEnds() const { return layerEnd_; }  // per simulated layer
  const std::vector<int>& generated() const { return generated_; }
  const std::vector<SegmentRecord>& tracedSegments() const { return traced_; }
  const MemoryMap& map() const { return *setup_.map; }

  // Driven mode, from the caller's SC_THREAD: runs one pass to its end and
  // returns the residual rows sent back to the host (functional runs).
  std::vector<int32_t> runPass(const PassSpec& pass);
  // Makes the state after node `path.back()` (walking `path` from the
  // committed state) the committed state of every layer in `layers`.
  void commit(const std::vector<int>& path, const std::vector<CommitLayer>& layers);
  // Bytes moved per models/speculative/Traffic.h category (DRAM: as issued
  // through the port; on chip: as the SSM walk pushed and read them).
  const Ledger& traffic() const { return traffic_; }
  // Rethrows what a thread threw (it stopped the simulation).
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  class Feed;
  struct LayerData;

  void readerThread();
  void mainThread();
  void ssmThread();
  // The SC_THREADs: each runs its body; an exception stops the simulation
  // and is kept for rethrow().
  void readerProcess() { guarded(&Sequencer::readerThread); }
  void mainProcess() { guarded(&Sequencer::mainThread); }
  void ssmProcess() { guarded(&Sequencer::ssmThread); }
  void guarded(void (Sequencer::*body)()) {
    try {
      (this->*body)();
    } catch (...) {
      error_ = std::current_exception();
      sc_core::sc_stop();
    }
  }

  void runLayer(int pass, int step, std::vector<int32_t>& residual);
  void runLmHead(int pass);
  void ssmStep(int li);
  PassSpec plainPass(int tokens) const;
  Cycle now() const;
  void waitUntil(Cycle c);
  // Blocks until segment `seg` of stream block `block` has arrived (read) or
  // been accepted (write).
  void waitSegment(int block, int seg);
  void issue(int block, const StreamSegment& s);
  // Counts a tagged segment's bytes under its Traffic.h category.
  void count(const StreamSegment& s) {
    if (s.traffic >= 0) traffic_.bytes[size_t(s.traffic)] += int64_t(s.bytes);
  }
  void returnCredits(uint64_t beats);
  // Stream blocks of pass p: its embedding read, one per step, its tail.
  int blockKey(int pass, int index) const { return blockBase_[size_t(pass)] + index; }
  template <class Pred>
  void waitFor(sc_core::sc_event& e, Pred ready) {
    while (!ready()) wait(e);
  }

  SequencerSetup setup_;
  const ModelConfig& model_;
  const AcceleratorConfig& accel_;
  int layersPerPass_;
  // Ticks only when a unit is "rtl" (a Verilated model needs edges; the
  // fast models wait whole intervals, and an idle clock would cost an event per cycle).
  std::unique_ptr<sc_core::sc_clock> clock_;
  ActivityLog log_;
  UnitContext ctx_;
  Units units_;

  // Rows of the stored in_proj the SSM thread needs before B/C and each head group.
  int needBC_ = 0;
  std::vector<int> needGroup_;

  // Stream bookkeeping.
  std::map<int, std::vector<Cycle>> arrivals_;
  sc_core::sc_event issued_, credit_;
  uint64_t creditsUsed_ = 0, creditCapacity_ = 0;
  // accel.portIssue == "loop": arrival of the last weight segment issued, and
  // whether the previous segment was a loop's scales (same loop).
  Cycle lastWeightArrival_ = 0;
  bool afterScales_ = false;
  std::vector<std::vector<StreamSegment>> embeddingRead_;  // by pass size (1..TP)
  std::vector<StreamSegment> residualWrite_;

  // Progress counters (each with the event that announces it).
  int hostDone_ = 0, residualReady_ = 0;               // passes
  int ssmStarted_ = 0, convReady_ = 0, ssmReady_ = 0;  // layer instances
  int rowsDone_ = 0;
  std::vector<std::unique_ptr<PassSpec>> passes_;  // as handed in (kept: threads refer to them)
  std::vector<int> blockBase_;                     // per pass: its first block key
  std::vector<int> instBase_;                      // per pass: its first layer instance
  std::vector<std::pair<int, int>> instances_;     // layer instance -> (pass, step)
  sc_core::sc_event hostEvent_, residualEvent_, ssmStartEvent_, gateEvent_, ssmDoneEvent_,
      rowsEvent_;

  std::unique_ptr<LayerData> data_;  // functional: the current layer's on-chip vectors
  std::vector<Cycle> passStart_, passEnd_, layerEnd_;
  std::vector<int> generated_;
  std::exception_ptr error_;
  std::vector<SegmentRecord> traced_;
  Ledger traffic_;
};

}  // namespace specmamba::platform
