// Presets load and agree with the platforms; bad preset files are rejected
// with a message naming the file and the JSON path.
#include <catch2/catch.hpp>

#include "sim/config/PlatformConfig.h"
#include "sim/memory/AddressMapper.h"
#include "tests/common/TestSupport.h"
#include "tests/memory/MemoryTestUtil.h"

using namespace specmamba;
using namespace specmamba::dram;

TEST_CASE("config: every memory preset loads with the issue's figures", "[memory][config]") {
  const auto names = test::memoryPresets();
  REQUIRE(names.size() == 5);
  for (const auto& n : names) {
    const DramSpec s = loadDramSpec(n);
    INFO(n);
    CHECK(s.name == n);
    CHECK(s.power.rails.size() >= 1);
    CHECK(s.power.rails.back().idd4r >
          s.power.rails.back().idd3n);  // real (non-zero) energy for all
  }
  CHECK(loadDramSpec("ddr4-3200-x8").peakBandwidthGBs() == Approx(25.6));
  CHECK(loadDramSpec("ddr4-3200-x16").org.bankGroups == 2);
  CHECK(loadDramSpec("lpddr4-4266").peakBandwidthGBs() == Approx(34.128));
  CHECK(loadDramSpec("hbm2-u280").peakBandwidthGBs() == Approx(460.8));
  CHECK(loadDramSpec("hbm2-u280").org.channels == 32);
  CHECK(loadDramSpec("hbm2e-vhk158").peakBandwidthGBs() == Approx(819.2));
}

TEST_CASE("config: platforms name a consistent memory preset", "[memory][config]") {
  CHECK(loadPlatformConfig("vck190").memory.preset == "ddr4-3200-x8");
  CHECK(loadPlatformConfig("u280").memory.preset == "hbm2-u280");
  CHECK(loadPlatformConfig("vhk158").memory.preset == "hbm2e-vhk158");
  nlohmann::json p = parseJsonText(locateConfig("platforms", "u280").text, "u280.json");
  p["memory"]["preset"] = "hbm2e-vhk158";  // HBM2e preset under an HBM2 summary
  CHECK_THROWS_WITH(parsePlatformConfig(p, "u280.json"),
                    Catch::Contains("/memory/standard") && Catch::Contains("hbm2e-vhk158"));
  p["memory"]["preset"] = "no-such-memory";
  CHECK_THROWS_WITH(parsePlatformConfig(p, "u280.json"), Catch::Contains("/memory/preset"));
}

TEST_CASE("config: invalid preset values name file and field", "[memory][config]") {
  using J = nlohmann::json;
  auto fails = [](const std::function<void(J&)>& edit, const std::string& pointer,
                  const std::string& what) {
    INFO(pointer);
    CHECK_THROWS_WITH(test::presetWith("ddr4-3200-x8", edit),
                      Catch::Contains("ddr4-3200-x8 (edited)") && Catch::Contains(pointer) &&
                          Catch::Contains(what));
  };
  fails([](J& j) { j["timing"]["tRCD_typo"] = 3; }, "/timing", "tRCD_typo");
  fails([](J& j) { j["timing"]["tRC"] = 60; }, "/timing/tRC", "tRAS + tRP");
  fails([](J& j) { j["timing"]["CL"] = -1; }, "/timing/CL", "");
  fails([](J& j) { j["timing"].erase("tFAW"); }, "/timing", "tFAW");
  fails([](J& j) { j["organization"]["banks_per_group"] = 3; }, "/organization/banks_per_group",
        "power of two");
  fails([](J& j) { j["controller"]["mapping"] = "RoBaCoRaCh"; }, "/controller/mapping", "Bg");
  fails([](J& j) { j["controller"]["mapping"] = "RoBaCoBgChCh"; }, "/controller/mapping", "twice");
  fails([](J& j) { j["controller"]["queue_structure"] = "per-rank"; },
        "/controller/queue_structure", "per-bank");
  fails([](J& j) { j["controller"]["queue_structure"] = "per-bank"; }, "/controller",
        "bank_queue");
  fails([](J& j) { j["controller"]["bank_queue"] = 8; }, "/controller/bank_queue",
        "only to \"queue_structure\": \"per-bank\"");
  fails(
      [](J& j) {
        j["controller"]["queue_structure"] = "per-bank";
        j["controller"]["bank_queue"] = 0;
      },
      "/controller/bank_queue", "");
  fails([](J& j) { j["controller"]["mapping"] = "RoBaCoBgRaXx"; }, "/controller/mapping", "Xx");
  fails([](J& j) { j["controller"]["scheduler"] = "lifo"; }, "/controller/scheduler", "fr-fcfs");
  fails([](J& j) { j["controller"]["write_low_watermark"] = 30; },
        "/controller/write_low_watermark", "");
  fails([](J& j) { j["data_rate_mtps"] = 2400; }, "/data_rate_mtps", "tck_ps");
  fails([](J& j) { j["power"]["rails"][0]["idd4r"] = 10; }, "/power/rails/0/idd4r", "idd3n");
  fails(
      [](J& j) {
        j["controller"]["refresh_policy"] = "per-bank";
        j["timing"].erase("tRFCpb");
      },
      "/timing", "missing tRFCpb");
}

TEST_CASE("config: the CLI rejects a bad preset file", "[memory][config][cli]") {
  test::TempDir dir;
  nlohmann::json j = test::presetJson("hbm2-u280");
  j["organization"]["colums"] = 128;
  const std::string path = dir.file("bad.json");
  test::writeText(path, j.dump(2));
  const auto r = test::runCli("dram --memory " + path + " --pattern stream --requests 10");
  CHECK(r.exitCode == 1);
  CHECK_THAT(r.err, Catch::Contains("bad.json") && Catch::Contains("/organization") &&
                        Catch::Contains("colums"));
  test::writeText(path, "{ \"name\": ");
  const auto r2 = test::runCli("dram --memory " + path + " --pattern stream");
  CHECK(r2.exitCode == 1);
  CHECK_THAT(r2.err, Catch::Contains("bad.json"));
  const auto r3 = test::runCli("dram --memory ddr5 --pattern stream");
  CHECK(r3.exitCode == 1);
  CHECK_THAT(r3.err, Catch::Contains("hbm2-u280"));  // lists the known presets
}

TEST_CASE("config: address mapping follows the bit-order string", "[memory][config]") {
  const DramSpec s = loadDramSpec("hbm2-u280");  // RoBaCoBgRaCh, 32 B bursts
  const AddressMapper m(s.controller.mapping, s.org);
  CHECK(m.offsetBits() == 5);
  CHECK(m.decode(0).channel == 0);
  CHECK(m.decode(32).channel == 1);
  CHECK(m.decode(32 * 32).channel == 0);
  CHECK(m.decode(32 * 32).bankGroup == 1);
  CHECK(m.decode(32 * 32 * 4).column == 4);  // next burst of the row (BL4)
  const DramAddress d = m.decode(0x12345678);
  CHECK(m.encode(d) == 0x12345660);                       // burst-aligned round trip
  const AddressMapper issueExample("RoBaBgCoCh", s.org);  // Ra has one value: may be omitted
  CHECK(issueExample.decode(32).channel == 1);
  CHECK(issueExample.decode(32 * 32).column == 4);
  const AddressMapper other("ChRaBgBaRoCo", s.org);
  CHECK(other.decode(32).column == 4);
  CHECK(other.decode(32).channel == 0);
}
