#include "sim/platform/units/ActivityLog.h"

#include <algorithm>
#include <utility>

namespace specmamba::platform {

WindowActivity& WindowActivity::operator+=(const WindowActivity& o) {
  cycles += o.cycles;
  for (size_t i = 0; i < busy.size(); ++i) busy[i] += o.busy[i];
  anyBusy += o.anyBusy;
  overlap += o.overlap;
  return *this;
}

WindowActivity WindowActivity::scaled(uint64_t times) const {
  WindowActivity w;
  w.cycles = cycles * times;
  for (size_t i = 0; i < busy.size(); ++i) w.busy[i] = busy[i] * times;
  w.anyBusy = anyBusy * times;
  w.overlap = overlap * times;
  return w;
}

WindowActivity WindowActivity::divided(uint64_t n) const {
  WindowActivity w;
  w.cycles = cycles / n;
  for (size_t i = 0; i < busy.size(); ++i) w.busy[i] = busy[i] / n;
  w.anyBusy = anyBusy / n;
  w.overlap = overlap / n;
  return w;
}

void ActivityLog::busy(UnitKind unit, Cycle start, Cycle end) {
  auto& v = intervals_[size_t(unit)];
  // A unit's intervals come in time order; back-to-back ones merge.
  if (!v.empty() && v.back().end == start) {
    v.back().end = end;
  } else {
    v.push_back({start, end});
  }
}

std::vector<Interval> ActivityLog::intervals(UnitKind unit, Cycle from, Cycle to) const {
  const auto& v = intervals_[size_t(unit)];
  std::vector<Interval> out;
  auto it = std::lower_bound(v.begin(), v.end(), from,
                             [](const Interval& i, Cycle c) { return i.end <= c; });
  for (; it != v.end() && it->start < to; ++it)
    out.push_back({std::max(it->start, from), std::min(it->end, to)});
  return out;
}

WindowActivity ActivityLog::window(Cycle from, Cycle to) const {
  WindowActivity w;
  w.cycles = to - from;
  std::vector<std::pair<Cycle, int>> edges;  // +1 at a start, -1 at an end
  for (size_t u = 0; u < intervals_.size(); ++u) {
    for (const Interval& i : intervals(UnitKind(u), from, to)) {
      w.busy[u] += i.end - i.start;
      edges.emplace_back(i.start, +1);
      edges.emplace_back(i.end, -1);
    }
  }
  std::sort(edges.begin(), edges.end());
  int active = 0;
  Cycle last = from;
  for (const auto& [t, d] : edges) {
    if (active >= 1) w.anyBusy += t - last;
    if (active >= 2) w.overlap += t - last;
    active += d;
    last = t;
  }
  return w;
}

}  // namespace specmamba::platform
