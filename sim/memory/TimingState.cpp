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
      banks_(size_t(ranks_ * bankGroups_ * banksPerGroup_)),
      rank_(size_t(ranks_), zeros()),
      bank_(COMMAND_COUNT * banks_, 0) {
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
                           : c.scope == Scope::BankGroup ? size_t(ranks_ * bankGroups_)
                                                         : banks_;
      windows_.push_back({i, std::vector<std::deque<Cycle>>(nodes)});
    } else {
      byFrom_[index(c.from)].push_back({c.scope, index(c.to), Cycle(c.latency), c.sibling});
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

void TimingState::apply(Scope s, size_t to, const DramAddress& a, Cycle until) {
  auto raise = [&](Times& t) { t[to] = std::max(t[to], until); };
  switch (s) {
    case Scope::Channel:
      for (Times& t : rank_) raise(t);
      return;
    case Scope::Rank:
      raise(rank_[size_t(a.rank)]);
      return;
    case Scope::BankGroup: {
      Cycle* first = &bank_[to * banks_ + groupNode(a) * size_t(banksPerGroup_)];
      for (Cycle* t = first; t < first + banksPerGroup_; ++t) *t = std::max(*t, until);
      return;
    }
    case Scope::Bank: {
      Cycle& t = bank_[to * banks_ + bankNode(a)];
      t = std::max(t, until);
      return;
    }
  }
}

void TimingState::issue(Command cmd, const DramAddress& a, Cycle now) {
  for (const Row& c : byFrom_[index(cmd)]) {
    const Cycle until = now + c.latency;
    if (c.sibling) {
      for (int r = 0; r < ranks_; ++r) {
        if (r != a.rank) rank_[size_t(r)][c.to] = std::max(rank_[size_t(r)][c.to], until);
      }
      continue;
    }
    if (isRankCommand(cmd) && c.scope > Scope::Rank) continue;  // table keeps these at rank scope
    apply(c.scope, c.to, a, until);
  }
  for (Window& w : windows_) {
    const TimingConstraint& c = table_[w.row];
    if (c.from != cmd) continue;
    const size_t n = c.scope == Scope::Channel     ? 0
                     : c.scope == Scope::Rank      ? size_t(a.rank)
                     : c.scope == Scope::BankGroup ? groupNode(a)
                                                   : bankNode(a);
    std::deque<Cycle>& h = w.history[n];
    h.push_back(now);
    if (h.size() > size_t(c.window)) h.pop_front();
    if (h.size() == size_t(c.window)) apply(c.scope, index(c.to), a, h.front() + c.latency);
  }
}

}  // namespace specmamba::dram
