// Crash-safe outputs: a report file appears whole or not at all, whenever
// the run is killed (SIGKILL: no handler runs).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/common/TestSupport.h"

using specmamba::test::readText;
using specmamba::test::runCli;
using specmamba::test::spawnCli;
using specmamba::test::TempDir;

TEST_CASE("run --json F killed at any moment leaves F absent or a whole report", "[cli]") {
  TempDir dir;
  const std::string f = dir.file("report.json");
  // Two different whole reports: A is on disk, B's run is killed.
  REQUIRE(runCli("run lightmamba-vck190-w4a4 --json " + dir.file("a.json") + " --quiet").exitCode == 0);
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(runCli("run specmamba-tiny-functional --json " + dir.file("b.json") + " --quiet").exitCode == 0);
  const double runSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string a = readText(dir.file("a.json")), b = readText(dir.file("b.json"));
  REQUIRE(a != b);

  // Killed before it could write anything: no file.
  {
    const int pid = spawnCli("run specmamba-tiny-functional --json " + f + " --quiet");
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    CHECK(!std::filesystem::exists(f));
  }
  // Killed at moments spread over twice the run's length (the write
  // included), the last run left to finish: F is A or B, whole.
  int sawA = 0, sawB = 0;
  for (int i = 0; i <= 24; ++i) {
    std::filesystem::copy_file(dir.file("a.json"), f, std::filesystem::copy_options::overwrite_existing);
    const int pid = spawnCli("run specmamba-tiny-functional --json " + f + " --quiet");
    const double at = runSeconds * 2.0 * i / 24;
    if (i < 24) {
      std::this_thread::sleep_for(std::chrono::duration<double>(at));
      kill(pid, SIGKILL);
    }
    waitpid(pid, nullptr, 0);
    const std::string now = readText(f);
    INFO("killed after " << at << " s");
    CHECK((now == a || now == b));
    sawA += now == a;
    sawB += now == b;
  }
  CHECK(sawA > 0);  // some kills came before the rename,
  CHECK(sawB > 0);  // and the last ones after it
}
