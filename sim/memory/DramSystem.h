#pragma once
// All channels of one memory: the address mapper in front, one
// ChannelController per (pseudo-)channel, and an event queue that runs only
// the controllers that have something to do. This is the fast, plain-C++
// core; DramModule wraps it for SystemC/TLM. Time only moves forward:
// requests are submitted at non-decreasing cycles.
#include <memory>
#include <string>
#include <vector>

#include "sim/memory/AddressMapper.h"
#include "sim/memory/ChannelController.h"
#include "sim/memory/DramSpec.h"
#include "sim/memory/TimingTable.h"

namespace specmamba::dram {

struct DramSystemOptions {
  bool checker = false;           // protocol checker on every command
  std::string disableConstraint;  // test-only: controller ignores this constraint
};

class DramSystem {
 public:
  explicit DramSystem(DramSpec spec, const DramSystemOptions& options = {});

  const DramSpec& spec() const { return spec_; }
  const AddressMapper& mapper() const { return mapper_; }
  const std::vector<TimingConstraint>& table() const { return table_; }
  Cycle now() const { return now_; }

  // Submits one burst-sized request at cycle `at` (>= now()); false when the
  // channel's queue is full (back-pressure: retry later).
  bool trySubmit(uint64_t address, bool write, uint64_t id, Cycle at);
  // Runs every controller step at cycles < t.
  void advanceTo(Cycle t);
  // Earliest cycle at which a controller needs to run (NEVER when none).
  Cycle nextEvent();
  bool busy() const;
  // Completions produced so far (the caller may clear the vector).
  std::vector<Completion>& completions() { return completions_; }
  // Runs until every submitted request has completed; returns the last completion cycle.
  Cycle drain();
  // Fast path: submits at `at` (waiting for queue space) and runs until this
  // request completes; returns its completion cycle. Removes it from completions().
  Cycle access(uint64_t address, bool write, Cycle at);

  void setObserver(const CommandObserver& o);
  ChannelController& channel(int c) { return *channels_[size_t(c)]; }
  uint64_t commandsChecked() const;
  // Statistics of all channels, background accounted up to max(now, last completion).
  ChannelStats stats();

 private:
  void schedule(size_t ch, Cycle when);
  // The channel that runs next: smallest wake cycle, then lowest index. A
  // tournament tree over wake_ (leaf per channel, each inner node the
  // winner of its two children): an update walks one path up, no stale
  // entries pile up as they did in a lazy priority queue.
  size_t nextChannel() const { return winner_[1]; }
  void updateWinners(size_t ch);

  DramSpec spec_;
  AddressMapper mapper_;
  std::vector<TimingConstraint> table_;
  std::vector<Completion> completions_;
  std::vector<std::unique_ptr<ChannelController>> channels_;
  std::vector<Cycle> wake_;
  size_t leaves_ = 1;            // power of two >= channels
  std::vector<uint32_t> winner_;  // heap-ordered tree, node k's children 2k, 2k+1
  Cycle now_ = 0;
  uint64_t nextId_ = uint64_t(1) << 62;  // ids used by access()
};

}  // namespace specmamba::dram
