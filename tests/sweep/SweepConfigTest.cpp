// Sweep files: the expression language, the enumeration of each kind of
// space block, validation errors, point identity, records and the Pareto front.
#include <catch2/catch.hpp>

#include <set>

#include "models/common/Error.h"
#include "sim/sweep/Expression.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepRecords.h"
#include "tests/common/TestSupport.h"

using nlohmann::json;
using namespace specmamba::sweep;
using specmamba::ConfigError;

namespace {

json eval(const std::string& text, const json& doc = json::object()) { return Expression(text).evaluate(doc); }

json sweepDoc(const json& space) {
  return json{{"name", "t"}, {"base", "lightmamba-vck190-w4a4"}, {"space", space}};
}

SweepConfig parse(const json& doc) { return parseSweep(doc, "t.json"); }

std::string parseError(const json& doc) {
  try {
    (void)parse(doc);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("expressions: arithmetic, comparisons, fields, strings and functions", "[sweep]") {
  const json doc = {{"a", {{"cop", 8}, {"cip", 16}, {"p", "w8a8"}, {"tree", "3,2,2,1"}}}, {"x", 2.5}};
  CHECK(eval("1 + 2 * 3") == 7);
  CHECK(eval("(1 + 2) * 3") == 9);
  CHECK(eval("7 / 2") == 3.5);
  CHECK(eval("8 / 2").is_number_integer());  // integral results stay integers
  CHECK(eval("7 % 4") == 3);
  CHECK(eval("-{/x} * 2", doc) == -5);
  CHECK(eval("{/a/cop} * {/a/cip} * (4 + 4 * ({/a/p} == 'w8a8'))", doc) == 1024);
  CHECK(eval("{/a/cop} <= 8 && {/a/cip} > 8", doc) == true);
  CHECK(eval("{/a/cop} < 8 || !({/a/cip} != 16)", doc) == true);
  CHECK(eval("min(4, {/a/cop}, 2) + max(1, 3)", doc) == 5);
  CHECK(eval("log2({/a/cip}) + pow(2, 3) + floor(2.7) + ceil(2.1) + abs(-1)", doc) == 4 + 8 + 2 + 3 + 1);
  CHECK(eval("tree_nodes({/a/tree})", doc) == 34);
  CHECK(eval("tree_depth({/a/tree})", doc) == 4);
  CHECK(eval("len({/a/p}) + len('ab')", doc) == 6);
  CHECK(eval("'a' + \"b\"") == "ab");
  CHECK(Expression("{/a/cop} + {/x}").fields() == std::vector<std::string>{"/a/cop", "/x"});

  CHECK_THROWS_WITH(Expression("1 +"), Catch::Contains("ends early"));
  CHECK_THROWS_WITH(Expression("(1"), Catch::Contains("missing \")\""));
  CHECK_THROWS_WITH(Expression("foo(1)"), Catch::Contains("unknown name \"foo\""));
  CHECK_THROWS_WITH(Expression("pow(1)"), Catch::Contains("takes 2 arguments"));
  CHECK_THROWS_WITH(Expression("{a/b}"), Catch::Contains("JSON pointer"));
  CHECK_THROWS_WITH(Expression("1 2"), Catch::Contains("unexpected"));
  CHECK_THROWS_WITH(eval("{/nope} + 1", doc), Catch::Contains("no field /nope"));
  CHECK_THROWS_WITH(eval("{/a/p} * 2", doc), Catch::Contains("needs numbers"));
  CHECK_THROWS_WITH(eval("1 / 0"), Catch::Contains("by zero"));
  CHECK_THROWS_WITH(eval("log2(0)"), Catch::Contains("log2"));
  CHECK_THROWS_WITH(eval("tree_nodes('x,y')"), Catch::Contains("tree"));
}

TEST_CASE("grid and zip blocks enumerate the cartesian product, first block slowest", "[sweep]") {
  const SweepConfig s = parse(sweepDoc(json::array(
      {{{"grid", {{"/accelerator/cop", {4, 8}}, {"/accelerator/pp", {{"min", 4}, {"max", 16}, {"step", 4}}}}}},
       {{"zip", {{"/accelerator/clock_mhz", {300, 400}}, {"/accelerator/precision", {"w4a4", "w8a8"}}}}}})));
  REQUIRE(s.size() == 2 * 4 * 2);
  std::vector<json> seen;
  for (int64_t i = 0; i < s.size(); ++i) seen.push_back(resolvePoint(s, i).params);
  CHECK(seen[0] == json{{"/accelerator/cop", 4}, {"/accelerator/pp", 4}, {"/accelerator/clock_mhz", 300},
                        {"/accelerator/precision", "w4a4"}});
  CHECK(seen[1] == json{{"/accelerator/cop", 4}, {"/accelerator/pp", 4}, {"/accelerator/clock_mhz", 400},
                        {"/accelerator/precision", "w8a8"}});
  CHECK(seen[2]["/accelerator/pp"] == 8);
  CHECK(seen[15] == json{{"/accelerator/cop", 8}, {"/accelerator/pp", 16}, {"/accelerator/clock_mhz", 400},
                         {"/accelerator/precision", "w8a8"}});
  // The point's experiment is the base with the values written in, and its id hashes that.
  const SweepPoint p = resolvePoint(s, 5);
  CHECK(p.experiment["accelerator"]["cop"] == p.params["/accelerator/cop"]);
  CHECK(p.experiment["model"] == "mamba2-2.7b");
  CHECK(p.id == contentHash(p.experiment.dump()));
  std::set<std::string> ids;
  for (int64_t i = 0; i < s.size(); ++i) ids.insert(resolvePoint(s, i).id);
  CHECK(ids.size() == size_t(s.size()));
}

TEST_CASE("random blocks are seeded, Latin hypercube uses every stratum of every dim once", "[sweep]") {
  const auto block = [](const char* kind, int seed) {
    return json::array({{{kind,
                          {{"samples", 20},
                           {"seed", seed},
                           {"dims",
                            {{"/accelerator/clock_mhz", {{"min", 200.0}, {"max", 400.0}}},
                             {"/accelerator/cop", {4, 8, 16, 32}}}}}}}});
  };
  const SweepConfig a = parse(sweepDoc(block("random", 7)));
  const SweepConfig b = parse(sweepDoc(block("random", 7)));
  const SweepConfig c = parse(sweepDoc(block("random", 8)));
  REQUIRE(a.size() == 20);
  bool differs = false;
  for (int64_t i = 0; i < 20; ++i) {
    const json pa = resolvePoint(a, i).params;
    CHECK(pa == resolvePoint(b, i).params);
    differs = differs || pa != resolvePoint(c, i).params;
    const double clock = pa["/accelerator/clock_mhz"].get<double>();
    CHECK(clock >= 200.0);
    CHECK(clock < 400.0);
  }
  CHECK(differs);

  const SweepConfig l = parse(sweepDoc(block("latin", 3)));
  std::set<int> strata;
  std::map<int, int> cops;
  for (int64_t i = 0; i < 20; ++i) {
    const json p = resolvePoint(l, i).params;
    strata.insert(int((p["/accelerator/clock_mhz"].get<double>() - 200.0) / 10.0));
    ++cops[p["/accelerator/cop"].get<int>()];
  }
  CHECK(strata.size() == 20);  // 20 strata of 10 MHz, each hit once
  for (int cop : {4, 8, 16, 32}) CHECK(cops[cop] == 5);  // 20 strata over 4 values: 5 each
}

TEST_CASE("derived fields and constraints resolve per point, duplicates are dropped", "[sweep]") {
  json doc = sweepDoc(json::array({{{"grid", {{"/accelerator/cop", {4, 8, 16}}, {"/tokens", {4, 8}}}}}}));
  doc["derived"] = {{"/accelerator/bus_bits", "min(256, {/accelerator/cop} * {/accelerator/cip} * 4)"},
                    {"/tokens", "0"}};
  CHECK_THAT(parseError(doc), Catch::Contains("/tokens is swept and derived"));
  doc["derived"].erase("/tokens");
  doc["constraints"] = {"{/accelerator/cop} <= 8"};
  const SweepConfig s = parse(doc);
  const SweepPoint p0 = resolvePoint(s, 0);
  CHECK(p0.status.empty());
  CHECK(p0.params["/accelerator/bus_bits"] == 128);
  CHECK(p0.experiment["accelerator"]["bus_bits"] == 128);
  CHECK(resolvePoint(s, 2).params["/accelerator/bus_bits"] == 256);
  const SweepPoint p4 = resolvePoint(s, 4);
  CHECK(p4.status == "infeasible");
  CHECK_THAT(p4.error, Catch::Contains("/constraints/0 does not hold"));

  // Two values that resolve to one experiment run once.
  json dup = sweepDoc(json::array({{{"grid", {{"/accelerator/cop", {8, 16}}, {"/tokens", {4, 8}}}}}}));
  dup["derived"] = {{"/accelerator/cip", "8 + 0 * {/accelerator/cop}"}};
  dup["space"][0]["grid"]["/accelerator/cop"] = {8, 8, 16};
  int64_t duplicates = 0;
  const SweepConfig d = parse(dup);
  CHECK(uniquePoints(d, &duplicates) == std::vector<int64_t>{0, 1, 4, 5});
  CHECK(duplicates == 2);

  json chained = sweepDoc(json::array({{{"grid", {{"/accelerator/cop", {8}}}}}}));
  chained["derived"] = {{"/accelerator/cip", "{/accelerator/cop}"}, {"/accelerator/pp", "{/accelerator/cip}"}};
  CHECK_THAT(parseError(chained), Catch::Contains("which is derived itself"));
}

TEST_CASE("sweep files are validated: every error names the file and the JSON pointer", "[sweep]") {
  const json grid = json::array({{{"grid", {{"/accelerator/cop", {8}}}}}});
  CHECK_THAT(parseError(sweepDoc(json::array())), Catch::Contains("t.json: /space: must have between 1"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", json::object()}}}))),
             Catch::Contains("/space/0/grid: an object of experiment pointers") && Catch::Contains("empty space"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/accelerator/cop", json::array()}}}}}))),
             Catch::Contains("/space/0/grid/~1accelerator~1cop: must have between 1"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/tokens/x", {1}}}}}}))),
             Catch::Contains("/tokens/x points into nothing: /tokens of the base experiment is not an object"));
  // Found by fuzz_sweep: an empty token made nlohmann create an array and throw (uncaught).
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/accelerator/buffers//weight_kib", {1}}}}}}))),
             Catch::Contains("has an empty key"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/accelerator/new/0/x", {1}}}}}}))),
             Catch::Contains("has no /accelerator/new/0 to index"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"accelerator", {1}}}}}}))),
             Catch::Contains("is not a JSON pointer"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"cube", {{"/tokens", {1}}}}}}))),
             Catch::Contains("/space/0/cube: unknown space block"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/tokens", {1}}}}}, {{"zip", {{"/tokens", {2}}}}}}))),
             Catch::Contains("/tokens is swept twice"));
  CHECK_THAT(parseError(sweepDoc(json::array(
                 {{{"zip", {{"/tokens", {1, 2}}, {"/prompt", {json::array({1})}}}}}}))),
             Catch::Contains("zip needs lists of one length"));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"grid", {{"/tokens", {{"min", 1.5}, {"max", 3.0}}}}}}}))),
             Catch::Contains("need a \"step\""));
  CHECK_THAT(parseError(sweepDoc(json::array({{{"random", {{"dims", {{"/tokens", {1}}}}}}}}))),
             Catch::Contains("/space/0/random: missing"));
  const json big = json::array({{{"grid", {{"/tokens", {{"min", 1}, {"max", 1000}}}}}},
                                {{"grid", {{"/accelerator/cop", {{"min", 1}, {"max", 2000}}}}}}});
  CHECK_THAT(parseError(sweepDoc(big)), Catch::Contains("at most 1000000 per sweep"));
  json extra = sweepDoc(grid);
  extra["spaces"] = 1;
  CHECK_THAT(parseError(extra), Catch::Contains("/spaces: unknown key"));
  json badName = sweepDoc(grid);
  badName["name"] = "../elsewhere";
  CHECK_THAT(parseError(badName), Catch::Contains("/name: letters, digits"));
  json badBase = sweepDoc(grid);
  badBase["base"] = "no-such-experiment";
  CHECK_THAT(parseError(badBase), Catch::Contains("/base: unknown experiment"));
  json badObjective = sweepDoc(grid);
  badObjective["objectives"] = {{"/accelerator/pp", "max"}};
  CHECK_THAT(parseError(badObjective), Catch::Contains("neither a figure"));
  json badFigure = sweepDoc(grid);
  badFigure["figures"] = {{"tokens_per_s", "/tokens_per_s"}};
  CHECK_THAT(parseError(badFigure), Catch::Contains("standard figure already"));

  // What only a resolved point shows: a key the experiment does not know.
  const SweepConfig unknown = parse(sweepDoc(json::array({{{"grid", {{"/accelerator/speed", {1}}}}}})));
  CHECK_THROWS_WITH(checkFirstPoint(unknown), Catch::Contains("/space/0/grid/~1accelerator~1speed") &&
                                                  Catch::Contains("names no experiment field"));
  // An object the sweep creates must be one the experiment takes as it is.
  const SweepConfig noSpec = parse(sweepDoc(json::array({{{"grid", {{"/speculative/tree", {"3,2"}}}}}})));
  CHECK_THROWS_WITH(checkFirstPoint(noSpec),
                    Catch::Contains("/speculative/tree points into nothing") && Catch::Contains("has no /speculative"));
  const SweepConfig buffers = parse(sweepDoc(json::array({{{"grid", {{"/accelerator/buffers/weight_kib", {64}}}}}})));
  CHECK_NOTHROW(checkFirstPoint(buffers));
  const SweepConfig typo = parse(sweepDoc(json::array({{{"grid", {{"/accelerator/bufers/weight_kib", {64}}}}}})));
  CHECK_THROWS_WITH(checkFirstPoint(typo), Catch::Contains("names no experiment field"));
  json missing = sweepDoc(grid);
  missing["constraints"] = {"{/accelerator/nothing} > 1"};
  CHECK_THROWS_WITH(checkFirstPoint(parse(missing)), Catch::Contains("/constraints/0: the experiment has no field"));
  // A point that is merely invalid (out of range) is the point's error, not the sweep's.
  CHECK_NOTHROW(checkFirstPoint(parse(sweepDoc(json::array({{{"grid", {{"/accelerator/cip", {12}}}}}})))));
}

TEST_CASE("records: a torn last line is dropped on reopening, Pareto front and CSV", "[sweep]") {
  specmamba::test::TempDir dir;
  const std::string path = dir.file("points.jsonl");
  const SweepConfig s = parse(sweepDoc(json::array({{{"grid", {{"/accelerator/cop", {4, 8, 16, 32}}}}}})));
  {
    RecordLog log(path);
    for (int i = 0; i < 3; ++i) {
      json figures = {{"tokens_per_s", 10.0 - i}, {"lane_cost", 1 + i * i}};
      if (i == 2) figures = {{"tokens_per_s", 9.5}, {"lane_cost", 0}};  // dominates point 1, not point 0
      log.append(makeRecord(resolvePoint(s, i), "ok", "", figures, 0.1, 0.05));
    }
  }
  specmamba::test::writeText(path, specmamba::test::readText(path) + "{\"id\": \"torn");
  RecordLog reopened(path);
  REQUIRE(reopened.records().size() == 3);
  CHECK(reopened.has(resolvePoint(s, 1).id));
  CHECK_FALSE(reopened.has(resolvePoint(s, 3).id));
  reopened.append(makeRecord(resolvePoint(s, 3), "error", "bad, \"quoted\" point", json::object(), 0.1, 0.0));
  const std::vector<json> all = readRecords(path);
  REQUIRE(all.size() == 4);  // the torn bytes are gone, the new record whole

  const std::vector<Objective> objectives = {{"tokens_per_s", true}, {"lane_cost", false}};
  CHECK(paretoFront(all, objectives) == std::vector<size_t>{0, 2});
  CHECK(paretoFront(all, {{"tokens_per_s", true}}) == std::vector<size_t>{0});
  CHECK(effectiveObjectives(s, all).size() == 1);  // of the standard ones, the records have tokens/s only

  writeCsv(dir.file("p.csv"), all);
  const std::string csv = specmamba::test::readText(dir.file("p.csv"));
  CHECK_THAT(csv, Catch::StartsWith("index,id,status,/accelerator/cop,lane_cost,tokens_per_s,error\n"));
  CHECK_THAT(csv, Catch::Contains(",error,32,,,\"bad, \"\"quoted\"\" point\"\n"));
  const std::string summary = summaryText(s, all, 4);
  CHECK_THAT(summary, Catch::Contains("4 of 4 points recorded (3 ok, 0 infeasible, 1 error)"));
  CHECK_THAT(summary, Catch::Contains("tokens_per_s (max)"));
}
