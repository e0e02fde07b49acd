#pragma once
// One channel's (or pseudo-channel's) memory controller: bounded read and
// write queues, write drain between two watermarks, a scheduler, a page
// policy and a refresh policy (Policies.h), over the channel's TimingState.
// Plain C++ and event driven: step(now) issues at most one command and says
// when it next needs to run; an idle controller is never ticked.
#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <vector>

#include "sim/memory/DramSpec.h"
#include "sim/memory/DramStats.h"
#include "sim/memory/Policies.h"
#include "sim/memory/ProtocolChecker.h"
#include "sim/memory/TimingState.h"

namespace specmamba::dram {

struct DramRequest {
  uint64_t id = 0;
  DramAddress addr;
  bool write = false;
  Cycle arrival = 0;
  Cycle ready = 0;  // arrival + front-end latency
  bool classified = false;
  uint32_t bank = 0;  // flat bank index in the channel (set by the controller)
  uint64_t seq = 0;   // arrival order in the controller (set by the controller)
};

struct Completion {
  uint64_t id = 0;
  bool write = false;
  Cycle arrival = 0;
  Cycle done = 0;  // last data beat on the bus
};

using CommandObserver = std::function<void(Command, const DramAddress&, Cycle)>;

class ChannelController {
 public:
  ChannelController(const DramSpec& spec, int channel, const std::vector<TimingConstraint>& table,
                    std::vector<Completion>* completions);

  // Room for a request to `a` (its bank matters with per-bank queues).
  bool canAccept(bool write, const DramAddress& a) const {
    if (write ? writes_.size >= size_t(cfg_.writeQueue) : reads_.size >= size_t(cfg_.readQueue))
      return false;
    return cfg_.bankQueue == 0 || bankQueued_[flatBank(a)] < cfg_.bankQueue;
  }
  void enqueue(DramRequest r);
  bool busy() const { return reads_.size + writes_.size > 0; }
  // A lower bound of the cycle at which `r` could issue its next command.
  Cycle earliestFor(const DramRequest& r) const {
    return std::max(r.ready, timing_.earliest(nextCommand(r, flatBank(r.addr)), r.addr));
  }

  // Issues at most one command at `now`; returns the next cycle it needs to run (> now) or NEVER.
  Cycle step(Cycle now);
  // Closes background-energy accounting at `end`.
  void finish(Cycle end);

  const ChannelStats& stats() const { return stats_; }
  TimingState& timing() { return timing_; }  // tests: disableConstraint()
  void setChecker(std::unique_ptr<ProtocolChecker> checker) { checker_ = std::move(checker); }
  void setObserver(CommandObserver o) { observer_ = std::move(o); }
  uint64_t commandsChecked() const { return checker_ ? checker_->commandsChecked() : 0; }

 private:
  size_t flatBank(const DramAddress& a) const {
    return size_t((a.rank * org_.bankGroups + a.bankGroup) * org_.banksPerGroup + a.bank);
  }
  void issue(Command cmd, const DramAddress& a, Cycle now);
  void setOpen(const DramAddress& a, size_t bank, int64_t row, Cycle now);
  bool refreshStep(Cycle now, Cycle& wake, RefreshTarget& blocked);
  Command nextCommand(const DramRequest& r, size_t bank) const;
  bool blockedByRefresh(const RefreshTarget& t, size_t bank) const;

  // A request queue (reads or writes) indexed by bank: per bank the requests
  // for the open row (hits) and the others, each in arrival order, so that a
  // scheduling step looks at two requests per bank, not at the whole queue.
  // Each bank also caches what its candidates are (request, command, age,
  // arrival-ready cycle), rebuilt only when its lists or open row change
  // (`dirty`): the step's scan then reads one small record per bank instead
  // of chasing list and request storage.
  struct CachedCandidate {
    Cycle ready;  // the request's own ready cycle
    uint64_t age;
    uint32_t slot;
    Command command;
    bool closesHits;
  };
  struct BankLists {
    std::vector<uint32_t> hits, others;  // indices into pool_
    std::array<CachedCandidate, 2> cached{};
    uint8_t cachedCount = 0;
    bool dirty = true;
  };
  struct Queue {
    std::vector<BankLists> banks;
    std::vector<uint64_t> nonEmpty;  // bit per bank with a queued request: the step visits only those
    size_t size = 0;
    void mark(size_t bank) { nonEmpty[bank / 64] |= uint64_t(1) << (bank % 64); }
    void unmarkIfEmpty(size_t bank) {
      if (banks[bank].hits.empty() && banks[bank].others.empty())
        nonEmpty[bank / 64] &= ~(uint64_t(1) << (bank % 64));
    }
  };
  void repartition(Queue& q, size_t bank);  // after the bank's open row changed
  void refreshCache(BankLists& l, const BankLists& other, size_t bank);
  // The earliest cycle a cached candidate of `bank` could issue.
  Cycle earliestOf(const CachedCandidate& cc, size_t bank) const {
    return std::max(cc.ready, timing_.earliest(cc.command, rankOf_[bank], bank));
  }
  void touch(size_t bank) { reads_.banks[bank].dirty = writes_.banks[bank].dirty = true; }

  DramOrganization org_;
  DramTiming t_;
  ControllerConfig cfg_;
  int channel_;
  TimingState timing_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<PagePolicy> page_;
  std::unique_ptr<RefreshPolicy> refresh_;
  std::unique_ptr<ProtocolChecker> checker_;
  CommandObserver observer_;
  std::vector<Completion>* completions_;

  std::vector<DramRequest> pool_;  // request storage; free slots in free_
  std::vector<uint32_t> free_;
  std::vector<uint32_t> scratch_;
  Queue reads_, writes_;
  uint64_t nextSeq_ = 0;
  bool draining_ = false;
  std::vector<int64_t> openRow_;       // per bank, -1 closed
  std::vector<int> openBanks_;         // per rank
  std::vector<Cycle> activeSince_;     // per rank
  std::vector<Candidate> candidates_;  // scratch, two per bank
  std::vector<uint32_t> rankOf_;       // per flat bank
  std::vector<int> bankQueued_;        // per flat bank: queued reads + writes
  Cycle refreshDue_ = NEVER;           // refresh_->nextDue(), cached: it changes only when refreshed
  ChannelStats stats_;
};

}  // namespace specmamba::dram
