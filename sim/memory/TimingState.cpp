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
  for (auto& f : byFrom_) f = FromRows{};
  windows_.clear();
  auto add = [](std::vector<Push>& list, size_t to, Cycle latency) {
    for (Push& p : list) {
      if (p.to == to) {
        p.latency = std::max(p.latency, latency);
        return;
      }
    }
    list.push_back({to, latency});
  };
  for (size_t i = 0; i < table_.size(); ++i) {
    const TimingConstraint& c = table_[i];
    FromRows& f = byFrom_[index(c.from)];
    if (c.window > 1) {
      const size_t nodes = c.scope == Scope::Channel     ? 1
                           : c.scope == Scope::Rank      ? rank_.size()
                           : c.scope == Scope::BankGroup ? size_t(ranks_ * bankGroups_)
                                                         : banks_;
      f.windows.push_back(windows_.size());
      windows_.push_back({i, std::vector<std::deque<Cycle>>(nodes)});
      continue;
    }
    const size_t to = index(c.to);
    const Cycle latency = Cycle(c.latency);
    if (c.sibling) {
      add(f.sibling, to, latency);
    } else if (c.scope == Scope::Channel) {
      add(f.channel, to, latency);
    } else if (c.scope == Scope::Rank) {
      add(f.rank, to, latency);
    } else if (isRankCommand(c.from)) {
      // The table keeps rank commands' rows at rank scope; narrower ones do not apply.
    } else if (c.scope == Scope::BankGroup) {
      add(f.group, to, latency);
    } else {
      add(f.bank, to, latency);
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

inline void TimingState::apply(Scope s, size_t to, const DramAddress& a, Cycle until) {
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
  const FromRows& f = byFrom_[index(cmd)];
  // The scope of each list is a constant: apply()'s switch folds away.
  for (const Push& p : f.channel) apply(Scope::Channel, p.to, a, now + p.latency);
  for (const Push& p : f.rank) apply(Scope::Rank, p.to, a, now + p.latency);
  for (const Push& p : f.group) apply(Scope::BankGroup, p.to, a, now + p.latency);
  for (const Push& p : f.bank) apply(Scope::Bank, p.to, a, now + p.latency);
  for (const Push& p : f.sibling) {
    for (int r = 0; r < ranks_; ++r) {
      Cycle& t = rank_[size_t(r)][p.to];
      if (r != a.rank) t = std::max(t, now + p.latency);
    }
  }
  for (size_t wi : f.windows) {
    Window& w = windows_[wi];
    const TimingConstraint& c = table_[w.row];
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
