// Golden reports: the JSON report of every shipped experiment is stored in
// tests/golden/NAME.json; a change that moves any figure fails here with the
// list of changed fields. Changes meant to move figures rewrite them with
// tools/update-golden (and say why in the commit).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/common/TestSupport.h"

using nlohmann::json;
using specmamba::test::readText;
using specmamba::test::runCli;
using specmamba::test::sourceDir;

namespace {

// "  /tokens_per_s: 4.33 -> 4.35" per changed, added or removed field.
std::string diff(const json& want, const json& got) {
  const std::map<std::string, json> a = specmamba::test::jsonLeaves(want), b = specmamba::test::jsonLeaves(got);
  std::ostringstream out;
  int shown = 0;
  const auto line = [&](const std::string& p, const std::string& from, const std::string& to) {
    if (++shown <= 60) out << "  " << p << ": " << from << " -> " << to << "\n";
  };
  for (const auto& [p, v] : a) {
    auto it = b.find(p);
    if (it == b.end()) line(p, v.dump(), "(gone)");
    else if (it->second != v) line(p, v.dump(), it->second.dump());
  }
  for (const auto& [p, v] : b) {
    if (!a.count(p)) line(p, "(new)", v.dump());
  }
  if (shown > 60) out << "  ... and " << shown - 60 << " more\n";
  return out.str();
}

void checkGolden(const std::string& name) {
  const std::string path = sourceDir() + "/tests/golden/" + name + ".json";
  INFO("golden report " << path);
  REQUIRE(std::filesystem::exists(path));
  const std::string stored = readText(path);
  const auto r = runCli("run " + name + " --json - --quiet");
  REQUIRE(r.exitCode == 0);
  if (r.out != stored) {
    const std::string changes = diff(json::parse(stored), json::parse(r.out));
    FAIL_CHECK("`specmamba run " << name << "` no longer gives its golden report; changed fields (golden -> now):\n"
                                  << (changes.empty() ? "  (formatting only)\n" : changes)
                                  << "If the change is meant, run tools/update-golden and say why in the commit.");
  }
}

}  // namespace

TEST_CASE("golden: every shipped experiment has a golden report, and nothing else does", "[golden]") {
  std::vector<std::string> experiments, goldens;
  for (const auto& f : std::filesystem::directory_iterator(sourceDir() + "/configs/experiments"))
    if (f.path().extension() == ".json") experiments.push_back(f.path().stem().string());
  for (const auto& f : std::filesystem::directory_iterator(sourceDir() + "/tests/golden"))
    if (f.path().extension() == ".json") goldens.push_back(f.path().stem().string());
  std::sort(experiments.begin(), experiments.end());
  std::sort(goldens.begin(), goldens.end());
  INFO("run tools/update-golden after adding or removing an experiment");
  CHECK(goldens == experiments);
}

TEST_CASE("golden: the diff names every changed field", "[golden]") {
  const json a = {{"x", 1}, {"y", {{"z", {1, 2}}}}, {"gone", true}};
  const json b = {{"x", 1}, {"y", {{"z", {1, 3}}}}, {"new", "n"}};
  const std::string d = diff(a, b);
  CHECK(d.find("/y/z/1: 2 -> 3") != std::string::npos);
  CHECK(d.find("/gone: true -> (gone)") != std::string::npos);
  CHECK(d.find("/new: (new) -> \"n\"") != std::string::npos);
  CHECK(d.find("/x") == std::string::npos);
}

// Every experiment of configs/experiments, so a new one is covered as soon as it has a golden.
TEST_CASE("golden: every shipped experiment's report equals its golden report", "[golden]") {
  for (const auto& f : std::filesystem::directory_iterator(sourceDir() + "/configs/experiments")) {
    if (f.path().extension() == ".json") checkGolden(f.path().stem().string());
  }
}

TEST_CASE("golden: two runs of an experiment are byte-identical (table and JSON)", "[golden]") {
  for (const char* name : {"specmamba-vck190", "lightmamba-u280-w4a4"}) {
    const auto a = runCli(std::string("run ") + name + " --quiet");
    const auto b = runCli(std::string("run ") + name + " --quiet");
    REQUIRE(a.exitCode == 0);
    CHECK(a.out == b.out);
    const auto ja = runCli(std::string("run ") + name + " --quiet --json -");
    const auto jb = runCli(std::string("run ") + name + " --quiet --json -");
    CHECK(ja.out == jb.out);
  }
}
