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
      activeSince_(size_t(org_.ranks), 0),
      hitsRead_(size_t(org_.ranks * org_.banksPerRank()), 0),
      hitsWrite_(size_t(org_.ranks * org_.banksPerRank()), 0),
      seen_(size_t(org_.ranks * org_.banksPerRank()) * COMMAND_COUNT, 0) {
  stats_.activeCycles.assign(size_t(org_.ranks), 0);
  reads_.reserve(size_t(cfg_.readQueue));
  writes_.reserve(size_t(cfg_.writeQueue));
}

void ChannelController::enqueue(DramRequest r) {
  r.bank = uint32_t(flatBank(r.addr));
  if (openRow_[r.bank] == r.addr.row) ++(r.write ? hitsWrite_ : hitsRead_)[r.bank];
  (r.write ? writes_ : reads_).push_back(r);
}

void ChannelController::recountHits(size_t bank) {
  hitsRead_[bank] = hitsWrite_[bank] = 0;
  const int64_t open = openRow_[bank];
  if (open < 0) return;
  for (const DramRequest& r : reads_) hitsRead_[bank] += r.bank == bank && r.addr.row == open;
  for (const DramRequest& r : writes_) hitsWrite_[bank] += r.bank == bank && r.addr.row == open;
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
  recountHits(bank);
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
    if (cmd == Command::REFab || cmd == Command::REFpb) refresh_->refreshed();
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

bool ChannelController::blockedByRefresh(const RefreshTarget& t, const DramAddress& a) const {
  return a.rank == t.rank &&
         (t.bank < 0 || size_t(t.bank) == flatBank(a) % size_t(org_.banksPerRank()));
}

Cycle ChannelController::step(Cycle now) {
  ++stats_.steps;
  Cycle wake = NEVER;
  bool refreshing = false;
  RefreshTarget blocked;
  if (refresh_->nextDue() <= now) {
    if (refreshStep(now, wake, blocked)) return now + 1;
    refreshing = true;
  }
  // Write drain between the watermarks; writes also go when no read waits.
  if (draining_ && writes_.size() <= size_t(cfg_.writeLowWatermark)) draining_ = false;
  if (!draining_ && writes_.size() >= size_t(cfg_.writeHighWatermark)) draining_ = true;
  std::vector<DramRequest>& q = (draining_ || reads_.empty()) ? writes_ : reads_;

  const std::vector<int>& hits = &q == &writes_ ? hitsWrite_ : hitsRead_;
  candidates_.clear();
  ++stepStamp_;
  int ready = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    const DramRequest& r = q[i];
    if (refreshing && blockedByRefresh(blocked, r.addr)) continue;
    const size_t b = r.bank;
    const Command cmd = nextCommand(r, b);
    if (cmd == Command::PRE && hits[b] > 0) continue;  // the row still has queued hits
    // A younger request wanting the same command on the same bank can never
    // go before this one (same timing, later arrival): not a candidate.
    uint32_t& seen = seen_[b * COMMAND_COUNT + index(cmd)];
    if (seen == stepStamp_) continue;
    seen = stepStamp_;
    const Cycle e = std::max(r.ready, timing_.earliest(cmd, r.addr));
    candidates_.push_back({uint32_t(i), cmd, e <= now});
    if (e > now) {
      wake = std::min(wake, e);
    } else {
      ++ready;
    }
  }
  const int pick = scheduler_->pick(candidates_);
  if (!refreshing) wake = std::min(wake, refresh_->nextDue());
  if (pick < 0) return std::max(wake, now + 1);

  const Candidate c = candidates_[size_t(pick)];
  DramRequest& r = q[c.slot];
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
    int& queuedHits = (r.write ? hitsWrite_ : hitsRead_)[bank];
    if (page_->autoPrecharge(queuedHits - 1)) cmd = r.write ? Command::WRA : Command::RDA;
    --queuedHits;  // this request leaves the queue
  }
  issue(cmd, addr, now);
  // Skip idle cycles: issuing only pushes timing forward, so the earliest
  // cycles computed above stay lower bounds. Candidates that were ready are
  // re-evaluated against the new timing; requests to the bank just used
  // change their next command and are re-evaluated below.
  if (ready > 1) {
    for (size_t k = 0; k < candidates_.size(); ++k) {
      const Candidate& o = candidates_[k];
      if (int(k) == pick || !o.ready || q[o.slot].bank == bank) continue;
      wake = std::min(wake, timing_.earliest(o.command, q[o.slot].addr));
    }
  }
  if (isColumn(cmd)) {
    const Cycle done = now + (r.write ? t_.CWL : t_.CL) + org_.burstCycles();
    (r.write ? stats_.writeLatency : stats_.readLatency).add(done - r.arrival);
    ++(r.write ? stats_.writes : stats_.reads);
    stats_.firstArrival = std::min(stats_.firstArrival, r.arrival);
    stats_.lastCompletion = std::max(stats_.lastCompletion, done);
    if (completions_) completions_->push_back({r.id, r.write, r.arrival, done});
    q.erase(q.begin() + c.slot);
    // The queue choice (drain mode) may change: decide afresh next cycle.
    if (!(&q == &reads_ ? writes_ : reads_).empty()) return now + 1;
  }
  for (const DramRequest& o : q) {
    if (o.bank != bank) continue;
    if (refreshing && blockedByRefresh(blocked, o.addr)) continue;
    wake = std::min(wake, std::max(o.ready, timing_.earliest(nextCommand(o, bank), o.addr)));
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
