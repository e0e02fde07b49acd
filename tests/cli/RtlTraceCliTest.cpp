// `specmamba run` with rtl units: the Verilated units' VCD (--trace,
// --trace-layer) and its errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/common/TestSupport.h"

using specmamba::test::readText;
using specmamba::test::runCli;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

std::string rtlExperiment(const TempDir& dir, const std::string& mmu) {
  const nlohmann::json j{
      {"name", "rtl-trace"},
      {"model", "tiny-64"},
      {"platform", "vck190"},
      {"host", "vck190-apu"},
      {"accelerator", {{"units", {{"mmu", mmu}, {"ssmu", "rtl"}, {"norm", "rtl"}}}}},
      {"prompt", {3}},
      {"tokens", 2}};
  writeText(dir.file("e.json"), j.dump(2));
  return dir.file("e.json");
}

}  // namespace

TEST_CASE("run --trace writes the rtl units' signals while the chosen layer runs", "[cli][rtl]") {
  TempDir dir;
  const auto r = runCli("run " + rtlExperiment(dir, "rtl") + " --quiet --trace " +
                        dir.file("l1.vcd") + " --trace-layer 1");
  REQUIRE(r.exitCode == 0);
  const std::string vcd = readText(dir.file("l1.vcd"));
  CHECK(vcd.find("$scope module sequencer.rtl_mmu_0 $end") != std::string::npos);
  CHECK(vcd.find("$scope module sequencer.rtl_ssmu_0 $end") != std::string::npos);
  CHECK(vcd.find("$enddefinitions") != std::string::npos);
  CHECK(vcd.find("\n#") != std::string::npos);  // value changes at some time
}

TEST_CASE("run --trace needs the MMU in rtl and a layer of the model", "[cli][rtl]") {
  TempDir dir;
  const auto fast =
      runCli("run " + rtlExperiment(dir, "fast") + " --quiet --trace " + dir.file("x.vcd"));
  CHECK(fast.exitCode == 1);
  CHECK_THAT(fast.err, Catch::Contains("needs \"accelerator\""));
  const auto layer = runCli("run " + rtlExperiment(dir, "rtl") + " --quiet --trace " +
                            dir.file("x.vcd") + " --trace-layer 2");
  CHECK(layer.exitCode == 1);
  CHECK_THAT(layer.err, Catch::Contains("tiny-64 has 2 layers"));
}
