// The SystemC front end: blocking TLM-2.0 transport and the AXI-like burst
// port. One sc_start per test case (each runs in its own process).
#include <tlm_utils/simple_initiator_socket.h>

#include <catch2/catch.hpp>

#include "sim/memory/DramModule.h"

using namespace specmamba::dram;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

struct Results {
  sc_time blockingRead, blockingHit, blockingLong;
  BurstResult burst;
  sc_time burstDoneAt;
};

class Tester : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Tester> socket;
  Results r;

  Tester(sc_core::sc_module_name n, DramModule& memory)
      : sc_module(n), socket("socket"), memory_(memory) {
    socket.bind(memory.socket);
    SC_HAS_PROCESS(Tester);
    SC_THREAD(run);
  }

 private:
  sc_time read(uint64_t address, unsigned bytes) {
    std::vector<unsigned char> data(bytes);
    tlm::tlm_generic_payload p;
    p.set_address(address);
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_data_ptr(data.data());
    p.set_data_length(bytes);
    p.set_streaming_width(bytes);
    sc_time delay = SC_ZERO_TIME;
    const sc_time start = sc_core::sc_time_stamp();
    socket->b_transport(p, delay);
    REQUIRE(p.is_response_ok());
    return sc_core::sc_time_stamp() + delay - start;
  }
  void run() {
    wait(memory_.cycleTime() * 100);
    r.blockingRead = read(0, 64);
    wait(memory_.cycleTime() * 100);
    DramAddress a = memory_.system().mapper().decode(0);
    a.column += memory_.system().spec().org.burstLength;
    r.blockingHit = read(memory_.system().mapper().encode(a), 64);
    wait(memory_.cycleTime() * 100);
    r.blockingLong = read(1 << 20, 4096);  // 64 bursts
    wait(memory_.cycleTime() * 100);
    const sc_time before = sc_core::sc_time_stamp();
    // 16 beats x 32 B = 8 bursts over the four bank groups, bank 1 (idle so far).
    r.burst = memory_.transfer((2 << 20) + (1 << 15), 16, false);
    r.burstDoneAt = sc_core::sc_time_stamp() - before;
  }
  DramModule& memory_;
};

}  // namespace

TEST_CASE("tlm: blocking transport and the burst port on DDR4", "[memory][systemc]") {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  DramSystemOptions o;
  o.checker = true;
  DramModule memory("memory", spec, o, 32);
  Tester tester("tester", memory);
  sc_core::sc_start();
  const DramTiming& t = spec.timing;
  const sc_time tck = memory.cycleTime();
  CHECK(tester.r.blockingRead == tck * double(t.tRCD + t.CL + 4));
  CHECK(tester.r.blockingHit == tck * double(t.CL + 4));
  // 64 sequential bursts: at least 64 bursts on the bus, far less than 64 isolated reads.
  CHECK(tester.r.blockingLong >= tck * double(t.tRCD + t.CL + 64 * 4));
  CHECK(tester.r.blockingLong < tck * double(t.tRCD + t.CL + 64 * 4 + 200));
  CHECK(tester.r.burst.firstBeat < tester.r.burst.lastBeat);
  CHECK(tester.r.burst.lastBeat - tester.r.burst.firstBeat == tck * double(7 * 4));
  CHECK(tester.r.burstDoneAt == tck * double(t.tRCD + t.CL + 8 * 4));
  CHECK(memory.system().commandsChecked() > 70);
}

TEST_CASE("tlm: approximately-timed replay equals the core on HBM2", "[memory][systemc]") {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  const DramSpec spec = loadDramSpec("hbm2-u280");
  DramSystemOptions o;
  o.checker = true;
  PatternSource a(Pattern::Random, spec, 0, 0.7, 9);
  PatternSource b(Pattern::Random, spec, 0, 0.7, 9);
  const DramRunSummary tlm = runTrafficSystemC(spec, o, a, 30000, "random");
  DramSystem system(spec, o);
  const DramRunSummary core = runTraffic(system, b, 30000, "random");
  CHECK(summaryJson(spec, tlm).dump() == summaryJson(spec, core).dump());
  CHECK(tlm.commandsChecked > 30000);
}

TEST_CASE("tlm: a protocol violation stops the SystemC run with the constraint",
          "[memory][systemc]") {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  const DramSpec spec = loadDramSpec("ddr4-3200-x8");
  DramSystemOptions o;
  o.checker = true;
  o.disableConstraint = "tRCD";
  PatternSource source(Pattern::Random, spec, 0, 1.0, 9);
  CHECK_THROWS_WITH(runTrafficSystemC(spec, o, source, 2000, "random"),
                    Catch::Contains("protocol violation") && Catch::Contains("tRCD"));
}
