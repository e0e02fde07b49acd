#include "sim/report/Progress.h"

#include <fmt/format.h>

#include <cstdio>

namespace specmamba {

Progress::Progress(std::string label, bool enabled) : label_(std::move(label)), enabled_(enabled) {}

Progress::~Progress() { finish(); }

void Progress::finish() {
  if (open_) std::fputc('\n', stderr);
  open_ = false;
}

void Progress::print(const std::string& text) {
  // \r + clear-to-end keeps one line per run on a terminal; in a log each
  // update is still a readable line of its own.
  fmt::print(stderr, "\r\x1b[2K{}: {}", label_, text);
  std::fflush(stderr);
  open_ = true;
}

void Progress::stage(const std::string& what) {
  if (!enabled_) return;
  print(what);
  last_ = std::chrono::steady_clock::now();
}

void Progress::count(long done, long total, const char* unit) { count(done, total, unit, ""); }

void Progress::count(long done, long total, const char* unit, const std::string& detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  print(fmt::format("{}/{} {}{}{}", done, total, unit, detail.empty() ? "" : ", ", detail));
}

}  // namespace specmamba
