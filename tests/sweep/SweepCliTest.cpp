// `specmamba sweep` as a user runs it: the same records with any -j and any
// sharding, resume after kill -9 of the sweep or of one worker, failing
// points recorded, directories of other sweeps refused, merge.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/common/TestSupport.h"

using nlohmann::json;
using specmamba::test::readText;
using specmamba::test::runCli;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

// 2.7B on VCK190, timing-only: 3 cop x 2 cip x 2 precision = 12 points;
// cip 24 does not divide d_model (5 point errors), cop 16 x w8a8 is pruned (2).
json smallSweep(int reuse = 3) {
  json base = json::parse(readText(specmamba::test::sourceDir() + "/configs/experiments/lightmamba-vck190-w4a4.json"));
  base["reuse_after_layers"] = reuse;
  base["tokens"] = 4;
  return json{{"name", "cli-small"},
              {"base", base},
              {"space",
               {{{"grid",
                  {{"/accelerator/cop", {4, 8, 16}},
                   {"/accelerator/cip", {8, 24}},
                   {"/accelerator/precision", {"w4a4", "w8a8"}}}}}}},
              {"constraints", {"!({/accelerator/cop} == 16 && {/accelerator/precision} == 'w8a8')"}},
              {"figures", {{"lanes", "{/accelerator/cop} * {/accelerator/cip}"}}},
              {"objectives", {{"tokens_per_s", "max"}, {"lanes", "min"}}}};
}

std::string writeSweep(const TempDir& dir, const json& sweep, const std::string& name = "sweep.json") {
  writeText(dir.file(name), sweep.dump(2));
  return dir.file(name);
}

// id -> record without its wall-time fields; fails on a duplicate id.
std::map<std::string, json> records(const std::string& resultsDir) {
  std::map<std::string, json> out;
  std::istringstream in(readText(resultsDir + "/points.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    json r = json::parse(line);
    r.erase("wall_s");
    r.erase("run_s");
    const std::string id = r["id"];
    INFO("point " << id << " recorded twice in " << resultsDir);
    REQUIRE(out.count(id) == 0);
    out[id] = r;
  }
  return out;
}

size_t lines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

pid_t spawnSweep(const std::string& sweep, const std::string& out, const std::string& extra) {
  return specmamba::test::spawnCli("sweep " + sweep + " --out " + out + " --quiet " + extra);
}

void waitForRecords(const std::string& path, size_t n, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (lines(path) < n) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, WNOHANG) == 0);  // the sweep must still be running
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// The workers the sweep has forked (Linux: /proc/PID/task/PID/children).
std::vector<pid_t> children(pid_t pid) {
  std::istringstream in(readText("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children"));
  std::vector<pid_t> out;
  pid_t c = 0;
  while (in >> c) out.push_back(c);
  return out;
}

}  // namespace

TEST_CASE("sweep: -j 1, -j 2 and three merged shards record the same points", "[sweep]") {
  TempDir dir;
  const std::string sweep = writeSweep(dir, smallSweep());
  const auto one = runCli("sweep " + sweep + " --out " + dir.file("j1") + " -j 1 --quiet");
  REQUIRE(one.exitCode == 0);
  CHECK(one.err.empty());
  CHECK_THAT(one.out, Catch::Contains("12 of 12 points recorded (5 ok, 2 infeasible, 5 error)"));
  CHECK_THAT(one.out, Catch::Contains("Pareto front over lanes min, tokens_per_s max"));
  const auto two = runCli("sweep " + sweep + " --out " + dir.file("j2") + " -j 2");
  REQUIRE(two.exitCode == 0);
  CHECK_THAT(two.err, Catch::Contains("specmamba sweep: 12/12 points"));
  CHECK_THAT(two.err, Catch::Contains("points/s"));
  const std::map<std::string, json> a = records(dir.file("j1"));
  REQUIRE(a.size() == 12);
  CHECK(records(dir.file("j2")) == a);
  // Outputs in index order whatever order the workers finished in.
  CHECK(readText(dir.file("j1/points.csv")) == readText(dir.file("j2/points.csv")));
  CHECK(readText(dir.file("j1/pareto.csv")) == readText(dir.file("j2/pareto.csv")));

  std::string shards;
  for (int i = 0; i < 3; ++i) {
    const std::string out = dir.file("s" + std::to_string(i));
    const auto r = runCli("sweep " + sweep + " --out " + out + " --shard " + std::to_string(i) + "/3 -j 2 --quiet");
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("4 of 4 points recorded"));
    shards += " " + out;
  }
  const auto merged = runCli("sweep merge" + shards + " --out " + dir.file("merged"));
  REQUIRE(merged.exitCode == 0);
  CHECK_THAT(merged.out, Catch::Contains("12 of 12 points recorded"));
  CHECK(records(dir.file("merged")) == a);
  CHECK(readText(dir.file("merged/points.csv")) == readText(dir.file("j1/points.csv")));
  // Merging again, or a shard with the whole, adds nothing twice.
  REQUIRE(runCli("sweep merge" + shards + " " + dir.file("j1") + " --out " + dir.file("merged")).exitCode == 0);
  CHECK(records(dir.file("merged")) == a);

  // What the records hold.
  size_t ok = 0;
  for (const auto& [id, r] : a) {
    CHECK(r["experiment"]["accelerator"]["cop"] == r["params"]["/accelerator/cop"]);
    if (r["status"] == "ok") {
      ++ok;
      CHECK(r["figures"]["tokens_per_s"].get<double>() > 0);
      CHECK(r["figures"]["lanes"] == r["params"]["/accelerator/cop"].get<int>() * 8);
    } else if (r["status"] == "error") {
      CHECK(r["params"]["/accelerator/cip"] == 24);
      CHECK_THAT(r["error"].get<std::string>(), Catch::Contains("/accelerator/cip: must be a multiple of 8"));
    } else {
      CHECK(r["status"] == "infeasible");
      CHECK_THAT(r["error"].get<std::string>(), Catch::Contains("/constraints/0 does not hold"));
    }
  }
  CHECK(ok == 5);
  const std::string pareto = readText(dir.file("j1/pareto.csv"));
  CHECK_THAT(pareto, Catch::StartsWith("index,id,status,"));
  CHECK(std::count(pareto.begin(), pareto.end(), '\n') >= 2);  // header and at least one point
}

TEST_CASE("sweep: kill -9 of the sweep, then --resume, loses no point and duplicates none", "[sweep]") {
  TempDir dir;
  const std::string sweep = writeSweep(dir, smallSweep(0));  // every layer simulated: slow enough to kill
  const std::string out = dir.file("killed");
  const pid_t pid = spawnSweep(sweep, out, "-j 2");
  waitForRecords(out + "/points.jsonl", 3, pid);
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  waitpid(pid, &status, 0);
  const size_t before = records(out).size();
  CHECK(before >= 3);
  CHECK(before < 12);
  // Without --resume the records are not touched.
  CHECK_THAT(runCli("sweep " + sweep + " --out " + out + " --quiet").err, Catch::Contains("--resume continues it"));
  const auto resumed = runCli("sweep " + sweep + " --out " + out + " --resume -j 2");
  REQUIRE(resumed.exitCode == 0);
  CHECK_THAT(resumed.err, Catch::Contains(std::to_string(before) + " recorded already, " +
                                          std::to_string(12 - before) + " to go"));
  const auto whole = runCli("sweep " + sweep + " --out " + dir.file("whole") + " --quiet");
  REQUIRE(whole.exitCode == 0);
  CHECK(records(out) == records(dir.file("whole")));
  // Resuming a finished sweep runs nothing.
  const auto again = runCli("sweep " + sweep + " --out " + out + " --resume");
  REQUIRE(again.exitCode == 0);
  CHECK_THAT(again.err, Catch::Contains("12 recorded already, 0 to go"));
  CHECK(lines(out + "/points.jsonl") == 12);
}

TEST_CASE("sweep: a killed worker's point is not recorded, --resume runs it", "[sweep]") {
  TempDir dir;
  const std::string sweep = writeSweep(dir, smallSweep(0));
  const std::string out = dir.file("worker");
  const pid_t pid = spawnSweep(sweep, out, "-j 1");
  waitForRecords(out + "/points.jsonl", 1, pid);
  std::vector<pid_t> workers;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((workers = children(pid)).empty()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(kill(workers.front(), SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);  // "1 points were interrupted ...: run again with --resume"
  CHECK(records(out).size() == 11);
  const auto resumed = runCli("sweep " + sweep + " --out " + out + " --resume --quiet");
  REQUIRE(resumed.exitCode == 0);
  CHECK(records(out).size() == 12);
}

TEST_CASE("sweep: another sweep's directory is refused unless --force, merge refuses mixed sweeps", "[sweep]") {
  TempDir dir;
  const std::string a = writeSweep(dir, smallSweep(), "a.json");
  json other = smallSweep();
  other["space"][0]["grid"]["/accelerator/cop"] = {4};
  const std::string b = writeSweep(dir, other, "b.json");
  REQUIRE(runCli("sweep " + a + " --out " + dir.file("ra") + " --quiet").exitCode == 0);
  const auto refused = runCli("sweep " + b + " --out " + dir.file("ra") + " --resume --quiet");
  CHECK(refused.exitCode == 1);
  CHECK_THAT(refused.err, Catch::Contains("holds results of another sweep") && Catch::Contains("--force"));
  CHECK(records(dir.file("ra")).size() == 12);  // untouched
  REQUIRE(runCli("sweep " + b + " --out " + dir.file("rb") + " --quiet").exitCode == 0);
  const auto mixed = runCli("sweep merge " + dir.file("ra") + " " + dir.file("rb") + " --out " + dir.file("m"));
  CHECK(mixed.exitCode == 1);
  CHECK_THAT(mixed.err, Catch::Contains("merge shards of one sweep"));
  const auto forced = runCli("sweep " + b + " --out " + dir.file("ra") + " --force --quiet");
  REQUIRE(forced.exitCode == 0);
  CHECK(records(dir.file("ra")) == records(dir.file("rb")));
  // Records whose sweep.json is gone belong to no known sweep: refused, or discarded with --force.
  std::filesystem::remove(dir.file("ra/sweep.json"));
  const auto orphan = runCli("sweep " + a + " --out " + dir.file("ra") + " --resume --quiet");
  CHECK(orphan.exitCode == 1);
  CHECK_THAT(orphan.err, Catch::Contains("holds records but no sweep.json"));
  REQUIRE(runCli("sweep " + a + " --out " + dir.file("ra") + " --force --quiet").exitCode == 0);
  CHECK(records(dir.file("ra")).size() == 12);
  const auto badShard = runCli("sweep " + a + " --out " + dir.file("x") + " --shard 3/3");
  CHECK(badShard.exitCode == 1);
  CHECK_THAT(badShard.err, Catch::Contains("--shard \"3/3\": expected I/N with 0 <= I < N"));
}

TEST_CASE("sweep: --dry-run counts the points and runs nothing", "[sweep]") {
  TempDir dir;
  const std::string sweep = writeSweep(dir, smallSweep());
  const auto r = runCli("sweep " + sweep + " --out " + dir.file("o") + " --dry-run");
  REQUIRE(r.exitCode == 0);
  CHECK_THAT(r.out, Catch::Contains("12 points in the space, 0 duplicates dropped, 12 unique"));
  CHECK_THAT(r.out, Catch::Contains("would run 10 (2 pruned by constraints, 0 with fields that cannot be derived)"));
  CHECK_THAT(r.out, Catch::Contains("... and 7 more"));
  CHECK(!std::filesystem::exists(dir.file("o")));
  const auto shard = runCli("sweep " + sweep + " --dry-run --shard 1/3");
  CHECK_THAT(shard.out, Catch::Contains("shard 1/3: 4 points"));
}

TEST_CASE("sweep: inside a Slurm job array the task's slice is the shard", "[sweep]") {
  TempDir dir;
  const std::string sweep = writeSweep(dir, smallSweep());
  const auto task = runCli("sweep " + sweep + " --out " + dir.file("t") + " --quiet");  // reference: all points
  REQUIRE(task.exitCode == 0);
  const std::string env = "SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_COUNT=3 ";
  const std::string cmd = env + SPECMAMBA_BINARY + " sweep " + sweep + " --out " + dir.file("a") + " --quiet > " +
                          dir.file("a.out") + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK_THAT(readText(dir.file("a.out")), Catch::Contains("4 of 4 points recorded"));
  REQUIRE(runCli("sweep " + sweep + " --out " + dir.file("b") + " --shard 1/3 --quiet").exitCode == 0);
  CHECK(records(dir.file("a")) == records(dir.file("b")));
}

TEST_CASE("sweep: every shipped sweep parses and its first point is a valid experiment", "[sweep]") {
  for (const char* name : {"lightmamba-vck190", "lightmamba-u280", "specmamba-vck190"}) {
    INFO(name);
    TempDir dir;
    const auto r = runCli(std::string("sweep ") + name + " --out " + dir.file("o") + " --shard 0/1000 --quiet");
    REQUIRE(r.exitCode == 0);
    const auto recs = records(dir.file("o"));
    REQUIRE(!recs.empty());
    for (const auto& [id, rec] : recs) CHECK(rec["status"] != "error");
  }
}
