// The accelerator's memory port: clock conversion, platform port parameters,
// the detailed model's mechanics, and the burst model against it.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/config/PlatformConfig.h"
#include "sim/platform/BurstStreamPort.h"
#include "sim/platform/MemoryMap.h"
#include "sim/platform/PortClock.h"
#include "sim/platform/StreamPort.h"
#include "tests/platform/PlatformTestSupport.h"

using namespace specmamba;
using namespace specmamba::platform;

namespace {

StreamPortConfig portOf(const std::string& platform, const std::string& timing) {
  return streamPortConfig(loadPlatformConfig(platform), timing);
}

// A stream of segments with their notBefore cycles; notBefore < 0 means
// "when the previous segment completed" (a consumer that waits for its data).
struct Step {
  StreamSegment segment;
  int64_t notBefore = 0;
};

AccelCycle run(StreamPort& port, const std::vector<Step>& steps) {
  AccelCycle done = 0;
  for (const auto& s : steps)
    done = port.transfer(s.segment, s.notBefore < 0 ? done : AccelCycle(s.notBefore));
  return done;
}

double relativeError(const StreamPortConfig& base, const std::vector<Step>& steps) {
  StreamPortConfig d = base, b = base;
  d.timing = "detailed";
  b.timing = "burst";
  const double detailed = double(run(*makeStreamPort(d), steps));
  const double burst = double(run(*makeStreamPort(b), steps));
  INFO("detailed " << detailed << " burst " << burst);
  return std::fabs(burst - detailed) / detailed;
}

// The first `count` layers of the platform's memory stream (MemoryMap) for
// `model` on `platform` as the platform runs it: W4A4, the accelerator's bus
// = every AXI port, each bus beat striped over the ports (Platform.cpp).
std::vector<Step> layers(const std::string& model, const std::string& platform, int count) {
  const PlatformConfig p = loadPlatformConfig(platform);
  const int busBits = p.axiPorts * p.axiWidthBits;
  auto j = test::platformExperiment(model, "w4a4");
  j["platform"] = platform;
  j["accelerator"]["bus_bits"] = busBits;
  const platform::Experiment e = test::experimentOf(j);
  const MemoryMap map(e.model, e.accel);
  std::vector<Step> steps;
  for (int l = 0; l < count; ++l) {
    for (StreamSegment s : map.layer(l).segments) {
      s.beats *= uint64_t(busBits / p.axiWidthBits);
      steps.push_back({s, 0});
    }
  }
  return steps;
}

std::vector<Step> pattern(uint64_t segments, uint64_t beats, bool alternateWrites,
                          int64_t spacing) {
  std::vector<Step> steps;
  for (uint64_t i = 0; i < segments; ++i) {
    const bool write = alternateWrites && i % 2 == 1;
    const uint64_t address = (write ? (uint64_t(1) << 30) : 0) + i * beats * 32;
    steps.push_back({{address, beats, write, StreamCategory::Weights},
                     spacing < 0 ? -1 : int64_t(i) * spacing});
  }
  return steps;
}

}  // namespace

TEST_CASE("port clock converts exactly, without drift", "[port]") {
  const PortClock vck(400, 625);  // 2.5 ns vs 0.625 ns: 4 memory cycles per accel cycle
  CHECK(vck.toMemory(1) == 4);
  CHECK(vck.toAccel(4) == 1);
  CHECK(vck.toAccel(5) == 2);
  CHECK(vck.accelCycles(75) == 30);
  const PortClock u280(200, 1111);  // 5 ns vs 1.111 ns: 5000/1111
  CHECK(u280.toMemory(1111) == 5000);
  CHECK(u280.toMemory(1'111'000'000'000) == 5'000'000'000'000);
  CHECK(u280.toMemory(1) == 5);
  CHECK(u280.toAccel(5000) == 1111);
  CHECK(u280.toAccel(5001) == 1112);
  const PortClock vhk(300, 625);  // 16/3
  CHECK(vhk.toMemory(3'000'000'000) == 16'000'000'000);
  CHECK(vhk.toMemory(1) == 6);
  CHECK_THROWS_WITH(PortClock(300.0001, 625), Catch::Contains("whole number of kHz"));
}

TEST_CASE("platform port parameters are validated with file and JSON pointer", "[port]") {
  const PlatformConfig p = loadPlatformConfig("vck190");
  CHECK(p.port.burstBeats == 16);
  CHECK(p.port.readOutstanding == 16);
  CHECK(p.port.requestLatencyNs == 75);
  const auto base = nlohmann::json::parse(locateConfig("platforms", "u280").text);
  const auto fails = [&](const std::function<void(nlohmann::json&)>& edit,
                         const std::string& what) {
    nlohmann::json j = base;
    edit(j);
    CHECK_THROWS_WITH(parsePlatformConfig(j, "p.json"),
                      Catch::StartsWith("p.json: ") && Catch::Contains(what));
  };
  fails([](auto& j) { j["port"]["outstanding"] = 4; },
        "/port/outstanding: unknown key (allowed: burst_beats");
  fails([](auto& j) { j["port"]["read_outstanding"] = 0; }, "/port/read_outstanding:");
  fails([](auto& j) { j["port"]["burst_beats"] = 256; },
        "/port/burst_beats: 256 beats of 256 bits cross a 4 KB");
  fails([](auto& j) { j.erase("port"); }, "missing required key \"port\"");
}

TEST_CASE("stream port: unknown timing and bad segments are errors", "[port]") {
  StreamPortConfig c = portOf("vck190", "cycle");
  CHECK_THROWS_WITH(makeStreamPort(c), Catch::Contains("valid: burst, detailed"));
  c.timing = "detailed";
  auto port = makeStreamPort(c);
  CHECK_THROWS_WITH(port->transfer({16, 4, false, StreamCategory::Weights}, 0),
                    Catch::Contains("not a multiple of the 32-byte bus beat"));
  CHECK_THROWS_WITH(port->transfer({0, 0, false, StreamCategory::Weights}, 0),
                    Catch::Contains("no beats"));
  StreamPortConfig ddrMulti = portOf("vck190", "detailed");
  ddrMulti.axiPorts = 2;  // 64-byte DDR4 bursts cannot be striped beat by beat
  CHECK_THROWS_WITH(makeStreamPort(ddrMulti), Catch::Contains("no larger than a beat"));
}

TEST_CASE("detailed port: an isolated read is interconnect + DRAM + one beat", "[port]") {
  const StreamPortConfig c = portOf("vck190", "detailed");
  auto port = makeStreamPort(c);
  // 75 ns each way at 400 MHz = 30 cycles; DDR4-3200 (4 tCK per cycle) on an
  // idle bank: ACT, tRCD 22, CL 22, BL/2 4.
  const uint64_t arrival = (0 + 30) * 4;
  const uint64_t dataMem = arrival + 22 + 22 + 4;
  const AccelCycle expected = (dataMem + 3) / 4 + 30 + 1;
  CHECK(port->transfer({0, 1, false, StreamCategory::Weights}, 0) == expected);
  CHECK(port->stats().readBeats == 1);
  CHECK(port->stats().busyCycles == expected);
}

TEST_CASE("detailed port: bus limit and outstanding x latency", "[port]") {
  StreamPortConfig c = portOf("vck190", "detailed");
  const auto steps = pattern(200, 256, false, 0);  // 51,200 beats
  SECTION("a long read stream runs at the bus limit, one beat per cycle") {
    auto port = makeStreamPort(c);
    const double cycles = double(run(*port, steps));
    CHECK(51200 / cycles > 0.95);
    CHECK(51200 / cycles <= 1.0);
  }
  SECTION("one outstanding burst: Little's law, burst / round trip") {
    c.readOutstanding = 1;
    c.requestLatencyNs = c.responseLatencyNs = 250;  // 100 cycles each way
    auto one = makeStreamPort(c);
    const double cycles = double(run(*one, steps));
    // Per burst: 200 cycles of interconnect, ~12 of DRAM (row hit), 16 beats.
    const double perBurst = cycles / (51200 / 16);
    CHECK(perBurst > 200 + 16);
    CHECK(perBurst < 200 + 16 + 20);
  }
}

TEST_CASE("detailed port: striping over HBM pseudo-channels", "[port]") {
  StreamPortConfig c = portOf("u280", "detailed");
  auto port = makeStreamPort(c);
  // 32 ports x 256 beats: every port carries 256 beats on its own PC.
  const auto steps = pattern(64, 32 * 256, false, 0);
  const double cycles = double(run(*port, steps));
  const double perPortBeats = 64.0 * 256;
  CHECK(perPortBeats / cycles > 0.9);  // each port near its 6.4 GB/s bus limit
  CHECK(port->stats().readBeats == 64 * 32 * 256);
}

TEST_CASE("burst port calibration comes from the detailed model", "[port]") {
  const StreamPortConfig c = portOf("vck190", "burst");
  const PortCalibration cal = calibratePort(c);
  auto detailed = makeStreamPort(portOf("vck190", "detailed"));
  CHECK(cal.coldLatency[0] ==
        double(detailed->transfer({0, 1, false, StreamCategory::Weights}, 0)));
  // Going on in an open row saves the ACT: tRCD = 22 tCK = 5.5 cycles.
  CHECK(cal.latency[0] < cal.coldLatency[0]);
  CHECK(cal.latency[0] >= cal.coldLatency[0] - 6);
  CHECK(cal.cyclesPerBeat[0] >= 1.0);  // never faster than the bus
  CHECK(cal.cyclesPerBeat[0] < 1.1);
  CHECK(cal.cyclesPerBeat[1] >= 1.0);
}

TEST_CASE("burst port within 2% of detailed: full mamba2-130m layers", "[port]") {
  for (const char* platform : {"vck190", "u280"}) {
    INFO(platform);
    CHECK(relativeError(portOf(platform, "burst"), layers("mamba2-130m", platform, 2)) <= 0.02);
  }
}

TEST_CASE("burst port within 2% of detailed: synthetic patterns", "[port]") {
  for (const char* platform : {"vck190", "u280"}) {
    INFO(platform);
    const StreamPortConfig c = portOf(platform, "burst");
    SECTION("reads in weight-loop segments") {
      CHECK(relativeError(c, pattern(400, 259, false, 0)) <= 0.02);
    }
    SECTION("back-pressure: the consumer paces segments slower than the port") {
      CHECK(relativeError(c, pattern(400, 259, false, 400)) <= 0.02);
    }
    SECTION("back-pressure: each segment waits for the previous one's data") {
      CHECK(relativeError(c, pattern(400, 64, false, -1)) <= 0.02);
    }
    SECTION("alternating reads and writes") {
      CHECK(relativeError(c, pattern(200, 1024, true, 0)) <= 0.02);
    }
  }
}
