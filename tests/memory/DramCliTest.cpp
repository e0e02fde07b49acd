// `specmamba dram`: trace formats, malformed traces, determinism, JSON, and
// the SystemC/TLM path giving the same report as the plain core.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/common/TestSupport.h"

using namespace specmamba;

TEST_CASE("cli: DRAMSim3 and Ramulator traces replay", "[memory][cli]") {
  test::TempDir dir;
  const std::string d3 = dir.file("d3.trace"), ram = dir.file("ram.trace");
  test::writeText(d3,
                  "# DRAMSim3\n0x0 READ 0\n0x40 READ 0\n0x1000 WRITE 10\n\n0x80 READ 500 # late\n");
  test::writeText(ram, "LD 0x0\nLD 0x40\nST 0x1000\nLD 0x80\n");
  const auto a = test::runCli("dram --memory ddr4-3200-x8 --trace " + d3 + " --json --check");
  REQUIRE(a.exitCode == 0);
  const auto ja = nlohmann::json::parse(a.out);
  CHECK(ja["requests"] == 4);
  CHECK(ja["reads"] == 3);
  CHECK(ja["writes"] == 1);
  CHECK(ja["cycles"].get<int64_t>() > 500);  // the last request waited for its cycle
  CHECK(ja["protocol_checker"].get<int64_t>() > 4);
  const auto b = test::runCli("dram --memory ddr4-3200-x8 --trace " + ram + " --json");
  REQUIRE(b.exitCode == 0);
  const auto jb = nlohmann::json::parse(b.out);
  CHECK(jb["requests"] == 4);
  CHECK(jb["writes"] == 1);
  CHECK(jb["cycles"].get<int64_t>() < 500);
}

TEST_CASE("cli: the whole DRAMSim3 and Ramulator 1 vocabulary is read", "[memory][cli]") {
  test::TempDir dir;
  const std::string d3 = dir.file("d3.trace"), r1 = dir.file("r1.trace");
  test::writeText(d3, "0x0 read 0\n0x40 P_MEM_RD 0\n0x1000 write 10\n0x2000 P_MEM_WR 12\n"
                      "0x80 READ 20\n0x3000 WRITE 30\n");
  test::writeText(r1, "# Ramulator 1\n0x0 R\n0x40 R\n0x1000 W\n0x80 R\n");
  const auto a = test::runCli("dram --memory ddr4-3200-x8 --trace " + d3 + " --json --check");
  REQUIRE(a.exitCode == 0);
  const auto ja = nlohmann::json::parse(a.out);
  CHECK(ja["reads"] == 3);
  CHECK(ja["writes"] == 3);
  const auto b = test::runCli("dram --memory ddr4-3200-x8 --trace " + r1 + " --json");
  REQUIRE(b.exitCode == 0);
  auto jb = nlohmann::json::parse(b.out);
  CHECK(jb["reads"] == 3);
  CHECK(jb["writes"] == 1);
  // The same requests as Ramulator 2 lines give the same report.
  const std::string r2 = dir.file("r2.trace");
  test::writeText(r2, "LD 0x0\nLD 0x40\nST 0x1000\nLD 0x80\n");
  const auto c = test::runCli("dram --memory ddr4-3200-x8 --trace " + r2 + " --json");
  REQUIRE(c.exitCode == 0);
  auto jc = nlohmann::json::parse(c.out);
  jc.erase("workload");
  jb.erase("workload");
  CHECK(jc == jb);
}

TEST_CASE("cli: an empty trace is an error, --requests beyond it a warning", "[memory][cli]") {
  test::TempDir dir;
  const std::string empty = dir.file("empty.trace"), shortTrace = dir.file("short.trace");
  test::writeText(empty, "# nothing here\n\n   \n");
  for (const char* extra : {"", " --systemc"}) {
    INFO(extra);
    const auto e = test::runCli("dram --memory ddr4-3200-x8 --trace " + empty + extra);
    CHECK(e.exitCode == 1);
    CHECK_THAT(e.err, Catch::Contains("empty.trace: the trace has no request line"));
    CHECK(e.out.empty());
  }
  test::writeText(shortTrace, "0x0 READ 0\n0x40 READ 0\n");
  const auto s =
      test::runCli("dram --memory ddr4-3200-x8 --trace " + shortTrace + " --requests 10 --json");
  REQUIRE(s.exitCode == 0);
  CHECK(nlohmann::json::parse(s.out)["requests"] == 2);
  CHECK_THAT(s.err, Catch::Contains("warning: " + shortTrace + " holds 2 requests, fewer than --requests 10"));
  const auto exact =
      test::runCli("dram --memory ddr4-3200-x8 --trace " + shortTrace + " --requests 2 --json");
  CHECK(exact.exitCode == 0);
  CHECK(exact.err.empty());
}

TEST_CASE("cli: malformed trace lines are errors with the line number", "[memory][cli]") {
  test::TempDir dir;
  const std::string path = dir.file("bad.trace");
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"0x0 READ 0\n0x40 READ\n", "bad.trace:2:"},
      {"0x0 READ 0\n0x40 FETCH 3\n", "bad.trace:2:"},
      {"0x0 READ 10\n# ok\n0x40 READ 3\n", "bad.trace:3: cycle 3 is earlier"},
      {"LD 0x0\nLD 1234\n", "bad.trace:2:"},
      {"LD 0x0\n0x40 READ 5\n", "bad.trace:2: expected \"LD|ST 0xADDR\""},
      {"0xZZ READ 0\n", "bad.trace:1:"},
      {"0x0 READ -5\n", "bad.trace:1:"},
      {"0x0 R\n0x40 READ 5\n", "bad.trace:2: expected \"0xADDR R|W\""},
      {"0x0 R\n0x40 r\n", "bad.trace:2:"},
      {"0x0 Read 0\n", "bad.trace:1: expected \"0xADDR READ|WRITE|P_MEM_RD|P_MEM_WR CYCLE\""},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    test::writeText(path, c.text);
    const auto r = test::runCli("dram --memory ddr4-3200-x8 --trace " + path);
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains(c.expect));
  }
  test::writeText(path, "0x0 READ 0\n0x40 READ\n");
  const auto tlm = test::runCli("dram --memory ddr4-3200-x8 --systemc --trace " + path);
  CHECK(tlm.exitCode == 1);
  CHECK_THAT(tlm.err, Catch::Contains("bad.trace:2:"));
  CHECK(tlm.out.empty());
  const auto missing = test::runCli("dram --memory ddr4-3200-x8 --trace " + dir.file("none"));
  CHECK(missing.exitCode == 1);
  CHECK_THAT(missing.err, Catch::Contains("cannot open"));
}

TEST_CASE("cli: bad options are errors", "[memory][cli]") {
  CHECK(test::runCli("dram --memory ddr4-3200-x8").exitCode != 0);
  const auto both = test::runCli("dram --memory ddr4-3200-x8 --pattern stream --trace x");
  CHECK(both.exitCode == 1);
  CHECK_THAT(both.err, Catch::Contains("exactly one"));
  const auto p = test::runCli("dram --memory ddr4-3200-x8 --pattern zigzag");
  CHECK(p.exitCode == 1);
  CHECK_THAT(p.err, Catch::Contains("strided"));
  const auto s = test::runCli("dram --memory ddr4-3200-x8 --pattern strided --stride 100");
  CHECK(s.exitCode == 1);
  CHECK_THAT(s.err, Catch::Contains("--stride"));
  const auto rr = test::runCli("dram --memory ddr4-3200-x8 --pattern random --read-ratio 1.5");
  CHECK(rr.exitCode == 1);
  CHECK_THAT(rr.err, Catch::Contains("--read-ratio"));
}

TEST_CASE("cli: deterministic output, text and JSON", "[memory][cli]") {
  const std::string args =
      "dram --memory hbm2-u280 --pattern random --read-ratio 0.7 --requests 20000 --seed 5";
  const auto a = test::runCli(args);
  const auto b = test::runCli(args);
  REQUIRE(a.exitCode == 0);
  CHECK(a.out == b.out);
  CHECK_THAT(a.out, Catch::Contains("efficiency") && Catch::Contains("p99") &&
                        Catch::Contains("REFab") && Catch::Contains("background"));
  const auto j1 = test::runCli(args + " --json");
  const auto j2 = test::runCli(args + " --json");
  CHECK(j1.out == j2.out);
  const auto j = nlohmann::json::parse(j1.out);
  CHECK(j["energy"]["total_nj"].get<double>() > 0);
  CHECK(j["energy"]["read_nj"].get<double>() > 0);
  CHECK(j["read_latency"]["p50_cycles"].get<int64_t>() <=
        j["read_latency"]["p99_cycles"].get<int64_t>());
  CHECK(j["read_latency"]["histogram"].size() > 2);
  const auto other = test::runCli(
      "dram --memory hbm2-u280 --pattern random --read-ratio 0.7 --requests 20000 --seed 6");
  CHECK(other.out != a.out);
  const auto q = test::runCli(args + " --quiet");
  CHECK_THAT(q.out, Catch::StartsWith("hbm2-u280: 20000 requests"));
}

TEST_CASE("cli: the SystemC TLM path reports exactly what the core reports",
          "[memory][cli][systemc]") {
  for (const char* args :
       {"--memory ddr4-3200-x8 --pattern stream --read-ratio 0.8 --requests 20000",
        "--memory hbm2-u280 --pattern random --requests 20000 --check",
        "--memory lpddr4-4266 --pattern strided --stride 4096 --requests 5000"}) {
    INFO(args);
    const auto core = test::runCli(std::string("dram ") + args + " --json");
    const auto tlm = test::runCli(std::string("dram ") + args + " --json --systemc");
    REQUIRE(core.exitCode == 0);
    REQUIRE(tlm.exitCode == 0);
    CHECK(core.out == tlm.out);
  }
  test::TempDir dir;
  const std::string d3 = dir.file("d3.trace");
  test::writeText(
      d3, "0x0 READ 0\n0x40 READ 0\n0x100000 WRITE 10\n0x80 READ 20000\n0x2000 READ 20001\n");
  const auto core = test::runCli("dram --memory ddr4-3200-x8 --trace " + d3 + " --json");
  const auto tlm = test::runCli("dram --memory ddr4-3200-x8 --trace " + d3 + " --json --systemc");
  CHECK(core.out == tlm.out);
}

TEST_CASE("cli: controller overrides are validated like the preset", "[memory][cli]") {
  const auto pb = test::runCli(
      "dram --memory hbm2-u280 --pattern stream --requests 50000 --refresh-policy per-bank --json");
  REQUIRE(pb.exitCode == 0);
  const auto j = nlohmann::json::parse(pb.out);
  CHECK(j["commands"]["REFpb"].get<int64_t>() > 0);
  CHECK(j["commands"]["REFab"].get<int64_t>() == 0);
  const auto bad = test::runCli("dram --memory hbm2-u280 --pattern stream --scheduler lifo");
  CHECK(bad.exitCode == 1);
  CHECK_THAT(bad.err, Catch::Contains("command-line overrides") &&
                          Catch::Contains("/controller/scheduler") && Catch::Contains("fr-fcfs"));
  const auto map = test::runCli("dram --memory ddr4-3200-x8 --pattern stream --mapping RoBaCh");
  CHECK(map.exitCode == 1);
  CHECK_THAT(map.err, Catch::Contains("/controller/mapping") && Catch::Contains("lacks field"));
  const auto ddr = test::runCli(
      "dram --memory ddr4-3200-x8 --pattern stream --requests 20000 "
      "--refresh-policy per-bank");
  CHECK(ddr.exitCode == 1);  // DDR4 presets have no per-bank refresh timings
  CHECK_THAT(ddr.err, Catch::Contains("tRFCpb"));
}
