#pragma once
// A progress line on stderr for long runs (stdout stays the report):
// "specmamba generate: synthesizing weights", then "... 12/32 tokens",
// redrawn at most a few times a second. --quiet turns it off.
#include <chrono>
#include <string>

namespace specmamba {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // A phase without a count ("synthesizing weights").
  void stage(const std::string& what);
  // `done` of `total` `unit`; printed when `done == total` or 0.25 s passed.
  void count(long done, long total, const char* unit);
  // The same with more after the count ("3 failed, 12.5 points/s, ETA 20 s").
  void count(long done, long total, const char* unit, const std::string& detail);
  // Ends the line (before the report goes to stdout); also done on destruction.
  void finish();

 private:
  void print(const std::string& text);
  std::string label_;
  bool enabled_;
  bool open_ = false;  // a line is on screen without its newline
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace specmamba
