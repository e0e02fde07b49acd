#include "sim/platform/rtl/ModeComparison.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "models/common/Error.h"
#include "sim/platform/Platform.h"
#include "sim/platform/units/UnitRegistry.h"

namespace specmamba::platform {

AcceleratorConfig withUnits(AcceleratorConfig accel, const std::string& impl) {
  for (auto& [unit, name] : accel.units) {
    const auto built = unitImplementations(unit);
    if (std::find(built.begin(), built.end(), impl) != built.end()) name = impl;
  }
  return accel;
}

double relativeDifference(Cycle a, Cycle b) {
  return b == 0 ? 0.0 : std::abs(double(a) - double(b)) / double(b);
}

namespace {

// The child's message: "ok" + the ModeRun fields, or "error" + the message.
void writeAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += size_t(n);
  }
}

std::string encode(const ModeRun& r) {
  std::string s = fmt::format("ok {} {} {} {} {}", r.passes, r.cyclesPerToken, r.firstPassCycles,
                              r.wallSeconds, r.tokens.size());
  for (int t : r.tokens) s += fmt::format(" {}", t);
  for (Cycle b : r.busy) s += fmt::format(" {}", b);
  return s;
}

ModeRun decode(const std::string& s) {
  if (s.rfind("error ", 0) == 0) throw Error(s.substr(6));
  ModeRun r;
  const char* p = s.c_str();
  char* end = nullptr;
  if (s.rfind("ok ", 0) != 0) throw Error("platform child process died without a result");
  p += 3;
  const auto next = [&]() {
    const unsigned long long v = std::strtoull(p, &end, 10);
    p = end;
    return v;
  };
  r.passes = int(next());
  r.cyclesPerToken = next();
  r.firstPassCycles = next();
  r.wallSeconds = std::strtod(p, &end);
  p = end;
  r.tokens.resize(next());
  for (int& t : r.tokens) t = int(next());
  for (Cycle& b : r.busy) b = next();
  return r;
}

}  // namespace

ModeRun runPlatformInChild(const Experiment& e, const Mamba2Int* golden) {
  int fds[2];
  if (pipe(fds) != 0) throw Error("pipe failed");
  std::fflush(nullptr);  // the child must not repeat buffered output
  const pid_t pid = fork();
  if (pid < 0) throw Error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    std::string msg;
    try {
      const auto t0 = std::chrono::steady_clock::now();
      const RunResult rr = runPlatform(e, golden);
      ModeRun r;
      r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      r.tokens = rr.tokens;
      r.passes = rr.passes;
      r.cyclesPerToken = rr.cyclesPerToken;
      r.firstPassCycles = rr.firstPassCycles;
      r.busy = rr.perToken.busy;
      msg = encode(r);
    } catch (const std::exception& ex) {
      msg = std::string("error ") + ex.what();
    }
    writeAll(fds[1], msg);
    close(fds[1]);
    std::fflush(nullptr);
    _exit(0);
  }
  close(fds[1]);
  std::string msg;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return decode(msg);
}

}  // namespace specmamba::platform
