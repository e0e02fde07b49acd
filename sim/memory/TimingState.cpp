#include "sim/memory/TimingState.h"

#include <algorithm>

namespace specmamba::dram {

namespace {
std::array<Cycle, COMMAND_COUNT> zeros() {
  std::array<Cycle, COMMAND_COUNT> t;
  t.fill(0);
  return t;
}
}  // namespace

TimingState::TimingState(const DramOrganization& org, std::vector<TimingConstraint> table)
    : ranks_(org.ranks),
      bankGroups_(org.bankGroups),
      banksPerGroup_(org.banksPerGroup),
      table_(std::move(table)),
      channel_(zeros()),
      rank_(size_t(ranks_), zeros()),
      group_(size_t(ranks_ * bankGroups_), zeros()),
      bank_(size_t(ranks_ * bankGroups_ * banksPerGroup_), zeros()) {
  buildIndex();
}

void TimingState::buildIndex() {
  for (auto& v : byFrom_) v.clear();
  windows_.clear();
  for (size_t i = 0; i < table_.size(); ++i) {
    const TimingConstraint& c = table_[i];
    if (c.window > 1) {
      const size_t nodes = c.scope == Scope::Channel     ? 1
                           : c.scope == Scope::Rank      ? rank_.size()
                           : c.scope == Scope::BankGroup ? group_.size()
                                                         : bank_.size();
      windows_.push_back({i, std::vector<std::deque<Cycle>>(nodes)});
    } else {
      byFrom_[index(c.from)].push_back(i);
    }
  }
}

int TimingState::disableConstraint(const std::string& name) {
  const size_t before = table_.size();
  table_.erase(std::remove_if(table_.begin(), table_.end(),
                              [&](const TimingConstraint& c) { return c.name == name; }),
               table_.end());
  buildIndex();
  return int(before - table_.size());
}

TimingState::Times& TimingState::node(Scope s, const DramAddress& a) {
  switch (s) {
    case Scope::Channel:
      return channel_;
    case Scope::Rank:
      return rank_[rankNode(a)];
    case Scope::BankGroup:
      return group_[groupNode(a)];
    case Scope::Bank:
      return bank_[bankNode(a)];
  }
  return channel_;
}

void TimingState::issue(Command cmd, const DramAddress& a, Cycle now) {
  for (size_t i : byFrom_[index(cmd)]) {
    const TimingConstraint& c = table_[i];
    const Cycle until = now + c.latency;
    if (c.sibling) {
      for (int r = 0; r < ranks_; ++r) {
        if (r != a.rank)
          rank_[size_t(r)][index(c.to)] = std::max(rank_[size_t(r)][index(c.to)], until);
      }
      continue;
    }
    if (isRankCommand(cmd) && c.scope > Scope::Rank) continue;  // table keeps these at rank scope
    Cycle& slot = node(c.scope, a)[index(c.to)];
    slot = std::max(slot, until);
  }
  for (Window& w : windows_) {
    const TimingConstraint& c = table_[w.row];
    if (c.from != cmd) continue;
    const size_t n = c.scope == Scope::Channel     ? 0
                     : c.scope == Scope::Rank      ? rankNode(a)
                     : c.scope == Scope::BankGroup ? groupNode(a)
                                                   : bankNode(a);
    std::deque<Cycle>& h = w.history[n];
    h.push_back(now);
    if (h.size() > size_t(c.window)) h.pop_front();
    if (h.size() == size_t(c.window)) {
      Cycle& slot = node(c.scope, a)[index(c.to)];
      slot = std::max(slot, h.front() + c.latency);
    }
  }
}

}  // namespace specmamba::dram
