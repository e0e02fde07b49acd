#include "sim/sweep/SweepRunner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include "models/common/Error.h"
#include "sim/platform/Experiment.h"
#include "sim/report/ExperimentReport.h"

namespace specmamba::sweep {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  SweepPoint point;
  std::string result;  // what the worker wrote so far
  Clock::time_point start;
};

void writeAll(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += size_t(n);
  }
}

// The worker: runs the point, writes {"status", "error"|"figures"} to `fd`,
// and leaves without running exit handlers (SystemC's state dies with it).
[[noreturn]] void workerMain(int fd, pid_t parent, const SweepConfig& sweep, const SweepPoint& p,
                             const PointRun& run) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed sweep takes its workers along
  if (::getppid() != parent) ::_exit(3);
  // Only the result pipe stays open: the record log and the directory lock are the sweep's.
  if (fd > 3) ::close_range(3, unsigned(fd) - 1, 0);
  ::close_range(unsigned(fd) + 1, ~0u, 0);
  const int devnull = ::open("/dev/null", O_WRONLY);
  if (devnull >= 0) {
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
  }
  json out;
  const Clock::time_point t0 = Clock::now();
  try {
    const json report = run(p.experiment, fmt::format("{} point {}", sweep.origin, p.index));
    out = {{"status", "ok"}, {"figures", extractFigures(sweep, report)}};
  } catch (const Error& e) {
    out = {{"status", "error"}, {"error", e.what()}};
  } catch (const std::invalid_argument& e) {
    out = {{"status", "error"}, {"error", e.what()}};
  } catch (const std::exception& e) {
    out = {{"status", "error"}, {"error", fmt::format("internal error: {}", e.what())}};
  }
  out["run_s"] = std::chrono::duration<double>(Clock::now() - t0).count();
  writeAll(fd, out.dump());
  ::_exit(0);
}

// Signals that mean "stopped from outside" rather than "the point crashed".
bool externalKill(int sig) { return sig == SIGKILL || sig == SIGTERM || sig == SIGINT || sig == SIGHUP; }

}  // namespace

json runExperimentPoint(const json& experiment, const std::string& origin) {
  const platform::Experiment e = platform::parseExperiment(experiment, origin);
  Progress quiet("", false);
  return json::parse(runExperimentReport(e, quiet).json.dump());
}

RunStats runPoints(const SweepConfig& sweep, const std::vector<int64_t>& pending, RecordLog& log,
                   const PointRun& run, int jobs, Progress& progress, int64_t alreadyDone, int64_t total) {
  RunStats stats;
  const Clock::time_point t0 = Clock::now();
  std::vector<Worker> active;
  size_t next = 0;
  int64_t finished = 0;  // points this run dealt with, recorded or interrupted
  const auto showProgress = [&] {
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    const double rate = elapsed > 0 ? double(finished) / elapsed : 0.0;
    const int64_t left = int64_t(pending.size()) - finished;
    std::string detail = fmt::format("{} failed, {:.1f} points/s", stats.failed, rate);
    if (rate > 0 && left > 0) detail += fmt::format(", ETA {:.0f} s", double(left) / rate);
    if (stats.interrupted > 0) detail += fmt::format(", {} interrupted", stats.interrupted);
    progress.count(long(alreadyDone + finished), long(total), "points", detail);
  };
  showProgress();
  while (next < pending.size() || !active.empty()) {
    while (int(active.size()) < jobs && next < pending.size()) {
      SweepPoint p = resolvePoint(sweep, pending[next++]);
      if (!p.status.empty()) {  // pruned or not derivable: recorded, never run
        log.append(makeRecord(p, p.status, p.error, json::object(), 0.0, 0.0));
        ++stats.recorded;
        ++finished;
        if (p.status == "error") ++stats.failed;
        continue;
      }
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(fmt::format("sweep: pipe: {}", std::strerror(errno)));
      std::fflush(stdout);
      std::fflush(stderr);
      const pid_t parent = ::getpid();
      const pid_t pid = ::fork();
      if (pid < 0) throw Error(fmt::format("sweep: fork: {}", std::strerror(errno)));
      if (pid == 0) {
        ::close(fds[0]);
        workerMain(fds[1], parent, sweep, p, run);
      }
      ::close(fds[1]);
      Worker w;
      w.pid = pid;
      w.fd = fds[0];
      w.point = std::move(p);
      w.start = Clock::now();
      active.push_back(std::move(w));
    }
    if (active.empty()) {
      showProgress();
      continue;
    }
    std::vector<pollfd> fds;
    for (const Worker& w : active) fds.push_back({w.fd, POLLIN, 0});
    if (::poll(fds.data(), nfds_t(fds.size()), 250) < 0 && errno != EINTR) {
      throw Error(fmt::format("sweep: poll: {}", std::strerror(errno)));
    }
    for (size_t i = fds.size(); i-- > 0;) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = active[i];
      char buf[65536];
      const ssize_t n = ::read(w.fd, buf, sizeof buf);
      if (n > 0) {
        w.result.append(buf, size_t(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      // End of the worker's output: reap it and record the point.
      ::close(w.fd);
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      const double wall = std::chrono::duration<double>(Clock::now() - w.start).count();
      ++finished;
      std::string recStatus, error;
      json figures = json::object();
      double runSeconds = 0;
      if (WIFSIGNALED(status) && externalKill(WTERMSIG(status))) {
        ++stats.interrupted;  // not recorded: --resume runs it again
      } else {
        try {
          const json r = json::parse(w.result);
          recStatus = r.at("status").get<std::string>();
          error = r.value("error", "");
          if (r.contains("figures")) figures = r.at("figures");
          runSeconds = r.value("run_s", 0.0);
        } catch (const json::exception&) {
          recStatus = "error";
          error = WIFSIGNALED(status)
                      ? fmt::format("the simulation crashed (signal {}: {})", WTERMSIG(status),
                                    strsignal(WTERMSIG(status)))
                      : fmt::format("the worker exited with status {} and no result", WEXITSTATUS(status));
        }
        log.append(makeRecord(w.point, recStatus, error, figures, wall, runSeconds));
        ++stats.recorded;
        ++stats.simulated;
        stats.pointSeconds += wall;
        stats.runSeconds += runSeconds;
        if (recStatus == "error") ++stats.failed;
      }
      active.erase(active.begin() + long(i));
    }
    showProgress();
  }
  stats.wallSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  progress.finish();
  return stats;
}

}  // namespace specmamba::sweep
