#include "sim/memory/ChannelController.h"

#include <algorithm>

#include "sim/memory/PolicyRegistry.h"

namespace specmamba::dram {

ChannelController::ChannelController(const DramSpec& spec, int channel,
                                     const std::vector<TimingConstraint>& table,
                                     std::vector<Completion>* completions)
    : org_(spec.org),
      t_(spec.timing),
      cfg_(spec.controller),
      channel_(channel),
      timing_(spec.org, table),
      scheduler_(makeScheduler(cfg_.scheduler)),
      page_(makePagePolicy(cfg_.pagePolicy)),
      refresh_(makeRefreshPolicy(cfg_.refreshPolicy, spec)),
      completions_(completions),
      openRow_(size_t(org_.ranks * org_.banksPerRank()), -1),
      openBanks_(size_t(org_.ranks), 0),
      activeSince_(size_t(org_.ranks), 0) {
  stats_.activeCycles.assign(size_t(org_.ranks), 0);
  for (Queue* q : {&reads_, &writes_}) {
    q->banks.resize(openRow_.size());
    q->nonEmpty.assign((openRow_.size() + 63) / 64, 0);
  }
  candidates_.resize(2 * openRow_.size());
  for (size_t b = 0; b < openRow_.size(); ++b)
    rankOf_.push_back(uint32_t(b / size_t(org_.banksPerRank())));
  refreshDue_ = refresh_->nextDue();
  bankQueued_.assign(openRow_.size(), 0);
  pool_.reserve(size_t(cfg_.readQueue + cfg_.writeQueue));
}

void ChannelController::enqueue(DramRequest r) {
  r.bank = uint32_t(flatBank(r.addr));
  r.seq = nextSeq_++;
  uint32_t slot = 0;
  if (free_.empty()) {
    slot = uint32_t(pool_.size());
    pool_.push_back(r);
  } else {
    slot = free_.back();
    free_.pop_back();
    pool_[slot] = r;
  }
  Queue& q = r.write ? writes_ : reads_;
  BankLists& l = q.banks[r.bank];
  (openRow_[r.bank] == r.addr.row ? l.hits : l.others).push_back(slot);
  q.mark(r.bank);
  touch(r.bank);
  ++bankQueued_[r.bank];
  ++q.size;
}

void ChannelController::repartition(Queue& q, size_t bank) {
  BankLists& l = q.banks[bank];
  if (l.hits.empty() && l.others.empty()) return;
  scratch_.clear();
  std::merge(l.hits.begin(), l.hits.end(), l.others.begin(), l.others.end(),
             std::back_inserter(scratch_),
             [&](uint32_t a, uint32_t b) { return pool_[a].seq < pool_[b].seq; });
  l.hits.clear();
  l.others.clear();
  const int64_t open = openRow_[bank];
  for (uint32_t slot : scratch_) (pool_[slot].addr.row == open ? l.hits : l.others).push_back(slot);
}

void ChannelController::setOpen(const DramAddress& a, size_t bank, int64_t row, Cycle now) {
  const size_t r = size_t(a.rank);
  const bool wasOpen = openRow_[bank] >= 0;
  openRow_[bank] = row;
  if (!wasOpen && row >= 0 && openBanks_[r]++ == 0) activeSince_[r] = now;
  if (wasOpen && row < 0) {
    ++stats_.rowsClosed;
    if (--openBanks_[r] == 0) stats_.activeCycles[r] += now - activeSince_[r];
  }
  repartition(reads_, bank);
  repartition(writes_, bank);
  touch(bank);
}

void ChannelController::issue(Command cmd, const DramAddress& a, Cycle now) {
  if (checker_) checker_->onCommand(cmd, a, now);
  if (observer_) observer_(cmd, a, now);
  timing_.issue(cmd, a, now);
  ++stats_.commands[index(cmd)];
  if (cmd == Command::PREA) {
    const size_t base = size_t(a.rank * org_.banksPerRank());
    for (size_t b = base; b < base + size_t(org_.banksPerRank()); ++b) setOpen(a, b, -1, now);
  } else if (cmd == Command::ACT) {
    setOpen(a, flatBank(a), a.row, now);
  } else if (cmd == Command::PRE || isAutoPrecharge(cmd)) {
    setOpen(a, flatBank(a), -1, now);
  }
}

// Handles a due refresh: closes the rank (PREA) or bank (PRE), then REFab/REFpb.
// Returns true when it issued a command. `blocked` names what requests must not touch.
bool ChannelController::refreshStep(Cycle now, Cycle& wake, RefreshTarget& blocked) {
  blocked = refresh_->target();
  DramAddress a;
  a.channel = channel_;
  a.rank = blocked.rank;
  Command cmd = Command::REFab;
  if (blocked.bank < 0) {
    if (openBanks_[size_t(a.rank)] > 0) cmd = Command::PREA;
  } else {
    a.bankGroup = blocked.bank / org_.banksPerGroup;
    a.bank = blocked.bank % org_.banksPerGroup;
    const int64_t open = openRow_[flatBank(a)];
    cmd = open >= 0 ? Command::PRE : Command::REFpb;
    a.row = std::max<int64_t>(open, 0);
  }
  const Cycle e = timing_.earliest(cmd, a);
  if (e <= now) {
    issue(cmd, a, now);
    if (cmd == Command::REFab || cmd == Command::REFpb) {
      refresh_->refreshed();
      refreshDue_ = refresh_->nextDue();
    }
    return true;
  }
  wake = std::min(wake, e);
  return false;
}

Command ChannelController::nextCommand(const DramRequest& r, size_t bank) const {
  const int64_t open = openRow_[bank];
  return open == r.addr.row ? (r.write ? Command::WR : Command::RD)
         : open < 0         ? Command::ACT
                            : Command::PRE;
}

bool ChannelController::blockedByRefresh(const RefreshTarget& t, size_t bank) const {
  const size_t perRank = size_t(org_.banksPerRank());
  return bank / perRank == size_t(t.rank) && (t.bank < 0 || size_t(t.bank) == bank % perRank);
}

// A bank's candidates in queue `l`: its oldest row hit (a column command)
// and its oldest other request (ACT, or PRE). A PRE is marked as closing hits
// while the open row has queued hits in either queue; when those hits are
// all in the other queue, the oldest of them is offered too, so that the
// row's hits go before it is closed (reads and writes of one bank share its
// row buffer: closing it under a waiting write hit costs an extra ACT).
void ChannelController::refreshCache(BankLists& l, const BankLists& other, size_t bank) {
  uint8_t count = 0;
  auto add = [&](uint32_t slot, Command cmd, bool closesHits) {
    const DramRequest& r = pool_[slot];
    l.cached[count++] = {r.ready, r.seq, slot, cmd, closesHits};
  };
  auto column = [&](uint32_t slot) { add(slot, pool_[slot].write ? Command::WR : Command::RD, false); };
  if (!l.hits.empty()) column(l.hits.front());
  if (!l.others.empty()) {
    if (openRow_[bank] < 0) {
      add(l.others.front(), Command::ACT, false);
    } else {
      if (l.hits.empty() && !other.hits.empty()) column(other.hits.front());
      add(l.others.front(), Command::PRE, !l.hits.empty() || !other.hits.empty());
    }
  }
  l.cachedCount = count;
  l.dirty = false;
}

Cycle ChannelController::step(Cycle now) {
  ++stats_.steps;
  Cycle wake = NEVER;
  bool refreshing = false;
  RefreshTarget blocked;
  if (refreshDue_ <= now) {
    if (refreshStep(now, wake, blocked)) return now + 1;
    refreshing = true;
  }
  // Write drain between the watermarks; writes also go when no read waits.
  if (draining_ && writes_.size <= size_t(cfg_.writeLowWatermark)) draining_ = false;
  if (!draining_ && writes_.size >= size_t(cfg_.writeHighWatermark)) draining_ = true;
  Queue& q = (draining_ || reads_.size == 0) ? writes_ : reads_;
  Queue& other = &q == &writes_ ? reads_ : writes_;

  // Per bank with queued requests: its oldest row hit (a column command) and
  // its oldest other request (ACT, or PRE, marked when the open row still
  // has queued hits). A younger request of the same kind can never go first
  // (same timing, later arrival). This loop is the model's hot path: banks
  // come from a bitmask, their candidates from a per-bank cache, fields are
  // stored one by one (a temporary Candidate stalled store forwarding) and
  // readiness is branch-free.
  Candidate* cand = candidates_.data();
  size_t n = 0;
  int ready = 0;
  const bool keepWaiting = scheduler_->needsWaitingCandidates();
  for (size_t w = 0; w < q.nonEmpty.size(); ++w) {
    for (uint64_t bits = q.nonEmpty[w]; bits != 0; bits &= bits - 1) {
      const size_t b = w * 64 + size_t(__builtin_ctzll(bits));
      if (refreshing && blockedByRefresh(blocked, b)) continue;
      BankLists& l = q.banks[b];
      if (l.dirty) refreshCache(l, other.banks[b], b);
      for (size_t k = 0; k < l.cachedCount; ++k) {
        const CachedCandidate& cc = l.cached[k];
        const Cycle e = earliestOf(cc, b);
        const bool ok = e <= now;
        Candidate& c = cand[n++];
        c.slot = cc.slot;
        c.command = cc.command;
        c.ready = ok;
        c.age = cc.age;
        c.closesHits = cc.closesHits;
        ready += ok;
        wake = std::min(wake, ok ? NEVER : e);
        n -= size_t(!ok && !keepWaiting);  // overwritten by the next one
      }
    }
  }
  const int pick = scheduler_->pick(cand, n);
  if (!refreshing) wake = std::min(wake, refreshDue_);
  if (pick < 0) return std::max(wake, now + 1);

  const Candidate c = cand[pick];
  const uint32_t slot = c.slot;
  DramRequest& r = pool_[slot];
  const size_t bank = r.bank;
  const DramAddress addr = r.addr;
  Command cmd = c.command;
  if (!r.classified) {
    r.classified = true;
    (cmd == Command::ACT   ? stats_.rowMisses
     : cmd == Command::PRE ? stats_.rowConflicts
                           : stats_.rowHits)++;
  }
  if (isColumn(cmd)) {
    // The request may be the other queue's row hit (see refreshCache).
    Queue& own = r.write ? writes_ : reads_;
    Queue& rest = r.write ? reads_ : writes_;
    std::vector<uint32_t>& hits = own.banks[bank].hits;  // `slot` is its front
    const int otherHits = int(hits.size() - 1 + rest.banks[bank].hits.size());
    if (page_->autoPrecharge(otherHits)) cmd = r.write ? Command::WRA : Command::RDA;
    hits.erase(hits.begin());  // the request leaves the queue
    own.unmarkIfEmpty(bank);
    touch(bank);
    --bankQueued_[bank];
    --own.size;
    free_.push_back(slot);
  }
  issue(cmd, addr, now);
  // Skip idle cycles: issuing only pushes timing forward, so the earliest
  // cycles computed above stay lower bounds. Candidates that were ready are
  // re-evaluated against the new timing; the bank just used changes its
  // candidates and is re-evaluated below.
  if (ready > 1) {
    for (size_t k = 0; k < n; ++k) {
      const Candidate& o = cand[k];
      const uint32_t ob = pool_[o.slot].bank;
      if (int(k) == pick || !o.ready || ob == bank) continue;
      wake = std::min(wake, timing_.earliest(o.command, rankOf_[ob], ob));
    }
  }
  if (isColumn(cmd)) {
    const Cycle done = now + (r.write ? t_.CWL : t_.CL) + org_.burstCycles();
    (r.write ? stats_.writeLatency : stats_.readLatency).add(done - r.arrival);
    ++(r.write ? stats_.writes : stats_.reads);
    stats_.firstArrival = std::min(stats_.firstArrival, r.arrival);
    stats_.lastCompletion = std::max(stats_.lastCompletion, done);
    if (completions_) completions_->push_back({r.id, r.write, r.arrival, done});
    // The queue choice (drain mode) may change: decide afresh next cycle.
    if (other.size > 0) return now + 1;
  }
  if (!(refreshing && blockedByRefresh(blocked, bank))) {
    BankLists& l = q.banks[bank];
    if (l.dirty) refreshCache(l, other.banks[bank], bank);
    for (size_t k = 0; k < l.cachedCount; ++k) wake = std::min(wake, earliestOf(l.cached[k], bank));
  }
  return std::max(wake, now + 1);
}

void ChannelController::finish(Cycle end) {
  for (size_t r = 0; r < openBanks_.size(); ++r) {
    if (openBanks_[r] > 0 && end > activeSince_[r]) {
      stats_.activeCycles[r] += end - activeSince_[r];
      activeSince_[r] = end;
    }
  }
  stats_.accountedUntil = std::max(stats_.accountedUntil, end);
}

}  // namespace specmamba::dram
