// Hostile inputs end to end: shipped experiment files mutated field by field
// (wrong types, out-of-range and huge numbers, NaN/Infinity, removed and
// unknown keys), truncated, replaced by binary junk or a directory. Every
// run must end with exit 0 (the mutation happened to be valid) or exit 1 and
// one line "specmamba: error: FILE: ..." — never a signal, an uncaught
// exception, a SystemC report or a hang.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/common/TestSupport.h"

using nlohmann::json;
using specmamba::test::readText;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

struct Outcome {
  int exitCode = -1;  // -1: killed by a signal (the timeout's included)
  std::string err;
};

// At most 60 s a run: a hang fails the test instead of the suite.
Outcome runBounded(const TempDir& dir, const std::string& args) {
  const std::string err = dir.file("stderr");
  const std::string cmd = std::string("timeout -s KILL 60 ") + SPECMAMBA_BINARY + " " + args + " >/dev/null 2>" +
                          err + " </dev/null";
  const int status = std::system(cmd.c_str());
  Outcome o;
  if (WIFEXITED(status)) o.exitCode = WEXITSTATUS(status);
  o.err = readText(err);
  return o;
}

// exit 0, or exit 1 with exactly one "specmamba: error: <file>..." line.
void checkOutcome(const Outcome& o, const std::string& file, const std::string& what) {
  INFO(what << "\nstderr: " << o.err);
  REQUIRE((o.exitCode == 0 || o.exitCode == 1));
  if (o.exitCode == 1) {
    CHECK(o.err.rfind("specmamba: error: ", 0) == 0);
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
    CHECK(o.err.find(file) != std::string::npos);
  }
}

// Pointers of every object in `v` (the root included).
void objects(const json& v, const json::json_pointer& at, std::vector<std::string>& out) {
  if (!v.is_object()) return;
  out.push_back(at.to_string());
  for (const auto& item : v.items()) objects(item.value(), at / item.key(), out);
}

// Every mutation of `base`, written to `f` and checked through `args`
// (which reads `f`, directly or through the experiment it names).
void mutate(const TempDir& dir, const json& base, const std::string& f, const std::string& args,
            const std::string& name) {
  const auto run = [&](const std::string& text, const std::string& what) {
    writeText(f, text);
    checkOutcome(runBounded(dir, args), f, what);
  };
  std::vector<std::string> fields;
  for (const auto& [p, v] : specmamba::test::jsonLeaves(base)) fields.push_back(p);
  const std::vector<json> replacements = {"x", -1, 0, 1e300, 123456789012345.0, true, nullptr,
                                          json::object(), json::array(), json::array({1, "a"})};
  for (const std::string& p : fields) {
    for (const json& r : replacements) {
      json m = base;
      m[json::json_pointer(p)] = r;
      run(m.dump(), name + ": " + p + " = " + r.dump());
    }
    // NaN and Infinity are not JSON: the parser's error must name the file.
    json m = base;
    m[json::json_pointer(p)] = "@@";
    std::string text = m.dump();
    for (const char* bad : {"NaN", "Infinity", "-Infinity", "1e999999"}) {
      std::string t = text;
      t.replace(t.find("\"@@\""), 4, bad);
      run(t, name + ": " + p + " = " + bad);
    }
    // Removed (required fields give an error, optional ones a valid run).
    json r = base;
    const json::json_pointer jp(p);
    if (!jp.empty() && r.at(jp.parent_pointer()).is_object()) {
      r.at(jp.parent_pointer()).erase(jp.back());
      run(r.dump(), name + ": without " + p);
    }
  }
  std::vector<std::string> objs;
  objects(base, json::json_pointer(), objs);
  for (const std::string& p : objs) {
    json m = base;
    m[json::json_pointer(p + "/no_such_key")] = 1;
    writeText(f, m.dump());
    const Outcome o = runBounded(dir, args);
    INFO(name << ": unknown key at " << p << "\nstderr: " << o.err);
    CHECK(o.exitCode == 1);  // an unknown key, or (in maps of free keys) a bad entry: named by its pointer
    CHECK(o.err.find(p + "/no_such_key: ") != std::string::npos);
  }
  const std::string text = base.dump(2);
  for (size_t cut : {size_t(0), size_t(1), text.size() / 3, text.size() / 2, text.size() - 2}) {
    run(text.substr(0, cut), name + ": truncated at " + std::to_string(cut));
  }
  std::string junk;
  for (int i = 0; i < 512; ++i) junk += char((i * 37 + 11) & 0xff);
  run(junk, name + ": binary junk");
}

json shipped(const std::string& path) {
  return json::parse(readText(specmamba::test::sourceDir() + "/configs/" + path));
}

// An experiment, shortened so that valid mutants run fast.
void mutateExperiment(const std::string& name, int tokens) {
  TempDir dir;
  json base = shipped("experiments/" + name + ".json");
  base["tokens"] = tokens;
  const std::string f = dir.file("mutant.json");
  mutate(dir, base, f, "run " + f + " --quiet", name);
}

}  // namespace

TEST_CASE("hostile inputs: every mutation of a plain experiment fails cleanly or runs", "[cli]") {
  mutateExperiment("lightmamba-vck190-w4a4", 2);
}

TEST_CASE("hostile inputs: every mutation of a speculative experiment fails cleanly or runs", "[cli]") {
  mutateExperiment("specmamba-vck190", 8);
}

TEST_CASE("hostile inputs: every mutation of a model, a platform and a sweep file", "[cli]") {
  TempDir dir;
  const std::string model = dir.file("model.json"), platform = dir.file("platform.json");
  // A timing-only experiment that reads the mutated model (or platform) file.
  json e = shipped("experiments/lightmamba-vck190-w4a4.json");
  e["tokens"] = 2;
  e["model"] = model;
  writeText(dir.file("e-model.json"), e.dump());
  mutate(dir, shipped("models/tiny-256.json"), model, "run " + dir.file("e-model.json") + " --quiet", "tiny-256");
  json ep = shipped("experiments/lightmamba-vck190-w4a4.json");
  ep["tokens"] = 2;
  ep["platform"] = platform;
  writeText(dir.file("e-platform.json"), ep.dump());
  mutate(dir, shipped("platforms/vck190.json"), platform, "run " + dir.file("e-platform.json") + " --quiet",
         "vck190");
  json sweep = shipped("sweeps/lightmamba-vck190.json");
  sweep["space"][0]["grid"] = {{"/accelerator/cop", {4, 8}}, {"/tokens", {2}}};
  const std::string sf = dir.file("sweep.json");
  mutate(dir, sweep, sf, "sweep " + sf + " --out " + dir.file("out") + " --force --quiet", "sweep");
}

TEST_CASE("hostile inputs: every mutation of a GPU baseline file", "[cli]") {
  TempDir dir;
  const std::string f = dir.file("gpu.json");
  mutate(dir, shipped("baselines/rtx4090.json"), f, "baseline --model tiny-64 --gpu " + f, "rtx4090");
}

TEST_CASE("hostile inputs: a directory, a missing file, an empty file", "[cli]") {
  TempDir dir;
  checkOutcome(runBounded(dir, "run " + dir.path()), dir.path(), "a directory");
  checkOutcome(runBounded(dir, "run " + dir.file("missing.json")), dir.file("missing.json"), "a missing file");
  writeText(dir.file("empty.json"), "");
  checkOutcome(runBounded(dir, "run " + dir.file("empty.json")), dir.file("empty.json"), "an empty file");
  for (const std::string& args : {"run " + dir.path(), "run " + dir.file("missing.json"), "run " + dir.file("empty.json")})
    CHECK(runBounded(dir, args).exitCode == 1);
}
