// The "speculative" block: bad input is a one-line error naming the file,
// the JSON path and what is allowed.
#include <catch2/catch.hpp>

#include "models/common/Error.h"
#include "tests/common/TestSupport.h"
#include "tests/specplatform/SpecPlatformSupport.h"

using namespace specmamba;
using Catch::Matchers::Contains;

namespace {

void expectError(const nlohmann::json& j, const std::string& a, const std::string& b) {
  try {
    platform::parseExperiment(j, "test.json");
    FAIL("no error");
  } catch (const Error& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK_THAT(what, Contains("test.json"));
    CHECK_THAT(what, Contains(a));
    CHECK_THAT(what, Contains(b));
  }
}

nlohmann::json timing() {
  auto j = test::shippedExperiment("specmamba-vck190");
  return j;
}

}  // namespace

TEST_CASE("speculative: a draft with another vocabulary is an error", "[specplatform]") {
  auto j = timing();
  j["speculative"]["draft"] = "tiny-64";
  expectError(j, "/speculative/draft", "vocabulary");
}

TEST_CASE("speculative: unknown keys and bad values name their path", "[specplatform]") {
  auto j = timing();
  j["speculative"]["trees"] = "3,2";
  expectError(j, "/speculative", "trees");
  j = timing();
  j["speculative"]["backtrack"] = "both";
  expectError(j, "/speculative/backtrack", "hybrid");
  j = timing();
  j["speculative"]["tile_heads"] = 12;
  expectError(j, "/speculative/tile_heads", "multiple of 8");
  j = timing();
  j["speculative"]["tree"] = "3,x";
  expectError(j, "/speculative/tree", "3,2,2,1");
}

TEST_CASE("speculative: a FIFO that cannot stage one tile (no spill possible) is an error",
          "[specplatform]") {
  auto j = timing();
  j["speculative"]["tile_heads"] = 0;
  j["speculative"]["fifo_kib"] = 64;
  expectError(j, "/speculative/fifo_kib", "spilling");
}

TEST_CASE("speculative: acceptance modes must match the run mode", "[specplatform]") {
  auto j = timing();
  j["speculative"]["acceptance"] = {{"mode", "functional"}};
  expectError(j, "/speculative/acceptance/mode", "timing-only");
  auto f = test::specExperiment("tiny-256", "tiny-256", 1, "2", "hybrid", 8);
  f["speculative"]["acceptance"] = {{"mode", "profile"}, {"profile", "default"}};
  expectError(f, "/speculative/acceptance/mode", "functional");
}

TEST_CASE("speculative: an acceptance profile with a probability outside [0, 1] is an error",
          "[specplatform]") {
  test::TempDir dir;
  test::writeText(dir.file("p.json"),
                  R"({"name": "bad", "source": "test", "accept_by_depth": [0.5, 1.5, 0.2, 0.1]})");
  auto j = timing();
  j["speculative"]["acceptance"] = {{"mode", "profile"}, {"profile", dir.file("p.json")}};
  expectError(j, "/speculative/acceptance/profile", "accept_by_depth");
}

TEST_CASE("speculative: a trace recorded for another tree shape is an error", "[specplatform]") {
  test::TempDir dir;
  test::writeText(dir.file("t.json"), R"({"tree": "2,2", "accepted": [1, 2, 0]})");
  auto j = timing();
  j["speculative"]["acceptance"] = {{"mode", "trace"}, {"file", dir.file("t.json")}};
  expectError(j, "/speculative/acceptance/file", "another tree");
}

TEST_CASE("speculative: a trace for the same tree runs", "[specplatform]") {
  test::TempDir dir;
  test::writeText(dir.file("t.json"), R"({"tree": "3,2,2,1", "accepted": [4, 0, 2, 1, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]})");
  auto j = timing();
  j["tokens"] = 20;
  j["speculative"]["acceptance"] = {{"mode", "trace"}, {"file", dir.file("t.json")}};
  const test::SpecRun r = test::runSpec(j);
  CHECK(r.result.accepted[0] == 4);
  CHECK(r.result.accepted[1] == 0);
  CHECK(r.result.generated == 20);
}
