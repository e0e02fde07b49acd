#pragma once
// SystemC/TLM-2.0 front end of the DRAM model: a thin module around the
// plain-C++ DramSystem. One engine thread advances the core only when
// something can happen (a controller event, a completion to deliver, a new
// request); an idle memory costs no simulation events.
//  * TLM-2.0 target socket: blocking b_transport (returns when the last burst
//    completed) and approximately-timed nb_transport_fw (BEGIN_REQ ->
//    END_REQ when every burst of it was admitted to a controller queue, i.e.
//    back-pressure; BEGIN_RESP when the last burst's data is on the bus).
//  * Burst port (AXI-like) for the accelerator model: transfer(address,
//    beats, write) with beats of the configured bus width.
// Timing only: payload data is not stored or returned.
#include <tlm_utils/simple_target_socket.h>

#include <deque>
#include <exception>
#include <memory>
#include <queue>
#include <string>
#include <systemc>
#include <tlm>
#include <unordered_map>
#include <vector>

#include "sim/memory/DramRun.h"
#include "sim/memory/DramSystem.h"

namespace specmamba::dram {

struct BurstResult {
  sc_core::sc_time firstBeat;  // first data burst on the DRAM bus
  sc_core::sc_time lastBeat;   // last data burst on the DRAM bus
};

class DramModule : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramModule> socket;

  DramModule(sc_core::sc_module_name name, const DramSpec& spec, const DramSystemOptions& options,
             int beatBytes);

  DramSystem& system() { return system_; }
  sc_core::sc_time cycleTime() const { return tck_; }
  Cycle toCycle(const sc_core::sc_time& t) const;  // rounded up to the next tCK edge
  int beatBytes() const { return beatBytes_; }

  // Burst port: `beats` beats of beatBytes() from `address`; call from an SC_THREAD.
  BurstResult transfer(uint64_t address, uint32_t beats, bool write);

  // An error raised in the engine (e.g. a ProtocolViolation): the engine stops
  // the simulation (sc_stop) and leaves it here for the caller of sc_start.
  std::exception_ptr error;

 private:
  struct Transaction {
    tlm::tlm_generic_payload* payload = nullptr;  // AT transactions only
    int toAdmit = 0;
    int toComplete = 0;
    Cycle firstDone = NEVER;
    Cycle lastDone = 0;
    sc_core::sc_event done;
  };
  struct Pending {
    uint64_t address;
    bool write;
    Cycle notBefore;
    Transaction* txn;
  };

  void engine();
  void engineLoop();
  Transaction* start(uint64_t address, uint64_t bytes, bool write, Cycle notBefore,
                     tlm::tlm_generic_payload* payload);
  void finishResponse();
  void admit(Cycle now);
  void collect();
  void deliver(Cycle now);
  void sendResponse(Transaction* t);

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);

  DramSystem system_;
  sc_core::sc_time tck_;
  int beatBytes_;
  uint64_t nextId_ = 0;
  std::deque<Pending> incoming_;
  std::unordered_map<uint64_t, Transaction*> inFlight_;  // request id -> transaction
  using Due = std::pair<Cycle, uint64_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> deliveries_;
  std::unordered_map<Transaction*, std::unique_ptr<Transaction>> live_;
  std::deque<Transaction*> responses_;  // AT responses waiting for END_RESP of the previous one
  bool responseBusy_ = false;
  Transaction* inline_ = nullptr;  // admitted inside nb_transport_fw: END_REQ by return value
  sc_core::sc_event wake_;
};

// The SystemC twin of runTraffic(): an AT initiator replays `source` through
// DramModule's TLM socket, one burst per transaction, in order. Gives the same
// summary as runTraffic() (tests check it). Calls sc_start: once per process.
DramRunSummary runTrafficSystemC(const DramSpec& spec, const DramSystemOptions& options,
                                 TrafficSource& source, uint64_t maxRequests,
                                 const std::string& workload);

}  // namespace specmamba::dram
