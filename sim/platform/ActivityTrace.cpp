#include "sim/platform/ActivityTrace.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "models/common/AtomicFile.h"

namespace specmamba::platform {

void writeActivityVcd(const std::string& path, const ActivityLog& log,
                      const std::vector<SegmentRecord>& segments, Cycle from, Cycle to,
                      uint64_t periodPs) {
  // (cycle, signal id, value) changes; ids: units 0.., then read, write, category.
  const int units = int(UnitKind::kCount), readId = units, writeId = units + 1,
            categoryId = units + 2;
  std::vector<std::tuple<Cycle, int, int>> changes;
  for (int u = 0; u < units; ++u) {
    for (const Interval& i : log.intervals(UnitKind(u), from, to)) {
      changes.emplace_back(i.start, u, 1);
      changes.emplace_back(i.end, u, 0);
    }
  }
  // In-flight counts per direction, as edges.
  std::vector<std::tuple<Cycle, int, int>> flight;
  for (const SegmentRecord& s : segments) {
    if (s.done <= from || s.issued >= to) continue;
    const Cycle a = std::max(s.issued, from), b = std::min(s.done, to);
    flight.emplace_back(a, s.write ? writeId : readId, +1);
    flight.emplace_back(b, s.write ? writeId : readId, -1);
    changes.emplace_back(a, categoryId, int(s.category));
  }
  std::sort(flight.begin(), flight.end());
  int inFlight[2] = {0, 0};
  for (const auto& [t, id, d] : flight) {
    int& n = inFlight[id - readId];
    const bool was = n > 0;
    n += d;
    if (was != (n > 0)) changes.emplace_back(t, id, n > 0 ? 1 : 0);
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });

  const auto code = [](int id) { return std::string(1, char('!' + id)); };
  writeFileAtomically(path, [&](std::ostream& out) {
    out << "$comment specmamba platform activity, accelerator cycles " << from << " to " << to
        << " $end\n";
    out << "$timescale 1ps $end\n$scope module accelerator $end\n";
    for (int u = 0; u < units; ++u)
      out << fmt::format("$var wire 1 {} {}_busy $end\n", code(u), unitName(UnitKind(u)));
    out << fmt::format("$var wire 1 {} mem_read $end\n$var wire 1 {} mem_write $end\n",
                       code(readId), code(writeId));
    out << fmt::format("$var integer 8 {} mem_category $end\n", code(categoryId));
    out << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
    for (int id = 0; id < categoryId; ++id) out << "0" << code(id) << "\n";
    out << "b0 " << code(categoryId) << "\n$end\n";
    Cycle last = ~Cycle(0);
    for (const auto& [t, id, v] : changes) {
      if (t != last) out << "#" << (t - from) * periodPs << "\n";
      last = t;
      if (id == categoryId) {
        out << "b" << fmt::format("{:b}", v) << " " << code(id) << "\n";
      } else {
        out << v << code(id) << "\n";
      }
    }
    out << "#" << (to - from) * periodPs << "\n";
  });
}

}  // namespace specmamba::platform
