#include "sim/memory/DramModule.h"

#include <fmt/format.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdlib>
#include <exception>

namespace specmamba::dram {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

DramModule::DramModule(sc_core::sc_module_name name, const DramSpec& spec,
                       const DramSystemOptions& options, int beatBytes)
    : sc_module(name),
      socket("socket"),
      system_(spec, options),
      tck_(double(spec.timing.tckPs), sc_core::SC_PS),
      beatBytes_(beatBytes) {
  socket.register_b_transport(this, &DramModule::b_transport);
  socket.register_nb_transport_fw(this, &DramModule::nb_transport_fw);
  SC_HAS_PROCESS(DramModule);
  SC_THREAD(engine);
}

Cycle DramModule::toCycle(const sc_time& t) const {
  const uint64_t v = t.value(), c = tck_.value();
  return Cycle((v + c - 1) / c);
}

DramModule::Transaction* DramModule::start(uint64_t address, uint64_t bytes, bool write,
                                           Cycle notBefore, tlm::tlm_generic_payload* payload) {
  auto owned = std::make_unique<Transaction>();
  Transaction* t = owned.get();
  live_.emplace(t, std::move(owned));
  const uint64_t burst = uint64_t(system_.spec().org.burstBytes());
  const uint64_t first = address / burst * burst;
  const uint64_t last = (address + std::max<uint64_t>(bytes, 1) - 1) / burst * burst;
  t->payload = payload;
  t->toAdmit = t->toComplete = int((last - first) / burst + 1);
  for (uint64_t a = first; a <= last; a += burst) incoming_.push_back({a, write, notBefore, t});
  return t;
}

void DramModule::admit(Cycle now) {
  while (!incoming_.empty() && incoming_.front().notBefore <= now) {
    const Pending p = incoming_.front();
    if (!system_.trySubmit(p.address, p.write, nextId_, now)) break;  // back-pressure
    inFlight_.emplace(nextId_++, p.txn);
    incoming_.pop_front();
    if (--p.txn->toAdmit == 0 && p.txn->payload && p.txn != inline_) {
      tlm::tlm_phase phase = tlm::END_REQ;
      sc_time delay = SC_ZERO_TIME;
      socket->nb_transport_bw(*p.txn->payload, phase, delay);
    }
  }
}

void DramModule::collect() {
  for (const Completion& c : system_.completions()) deliveries_.push({c.done, c.id});
  system_.completions().clear();
}

void DramModule::deliver(Cycle now) {
  while (!deliveries_.empty() && deliveries_.top().first <= now) {
    const auto [done, id] = deliveries_.top();
    deliveries_.pop();
    const auto it = inFlight_.find(id);
    Transaction* t = it->second;
    inFlight_.erase(it);
    t->firstDone = std::min(t->firstDone, done);
    t->lastDone = std::max(t->lastDone, done);
    if (--t->toComplete > 0) continue;
    if (t->payload) {
      t->payload->set_response_status(tlm::TLM_OK_RESPONSE);
      sendResponse(t);
    } else {
      t->done.notify();
    }
  }
}

void DramModule::sendResponse(Transaction* t) {
  if (responseBusy_) {
    responses_.push_back(t);
    return;
  }
  responseBusy_ = true;
  tlm::tlm_generic_payload* payload = t->payload;
  live_.erase(t);
  tlm::tlm_phase phase = tlm::BEGIN_RESP;
  sc_time delay = SC_ZERO_TIME;
  const tlm::tlm_sync_enum s = socket->nb_transport_bw(*payload, phase, delay);
  if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && phase == tlm::END_RESP))
    finishResponse();
}

void DramModule::finishResponse() {
  responseBusy_ = false;
  if (!responses_.empty()) {
    Transaction* next = responses_.front();
    responses_.pop_front();
    sendResponse(next);
  }
}

void DramModule::engine() {
  try {
    engineLoop();
  } catch (...) {
    error = std::current_exception();
    sc_core::sc_stop();
  }
}

void DramModule::engineLoop() {
  for (;;) {
    const Cycle now = toCycle(sc_core::sc_time_stamp());
    system_.advanceTo(now);
    admit(now);
    collect();
    deliver(now);
    Cycle next = NEVER;
    if (system_.busy() || !incoming_.empty()) {
      const Cycle e = system_.nextEvent();
      if (e != NEVER) next = e + 1;
    }
    if (!incoming_.empty() && incoming_.front().notBefore > now) {
      next = std::min(next, incoming_.front().notBefore);
    }
    if (!deliveries_.empty()) next = std::min(next, deliveries_.top().first);
    if (next == NEVER) {
      wait(wake_);
    } else {
      wait(tck_ * double(next) - sc_core::sc_time_stamp(), wake_);
    }
  }
}

void DramModule::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  wait(delay);
  delay = SC_ZERO_TIME;
  Transaction* t = start(trans.get_address(), trans.get_data_length(), trans.is_write(),
                         toCycle(sc_core::sc_time_stamp()), nullptr);
  wake_.notify(SC_ZERO_TIME);
  wait(t->done);
  live_.erase(t);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

BurstResult DramModule::transfer(uint64_t address, uint32_t beats, bool write) {
  Transaction* t = start(address, uint64_t(beats) * uint64_t(beatBytes_), write,
                         toCycle(sc_core::sc_time_stamp()), nullptr);
  wake_.notify(SC_ZERO_TIME);
  wait(t->done);
  const BurstResult r{tck_ * double(t->firstDone), tck_ * double(t->lastDone)};
  live_.erase(t);
  return r;
}

tlm::tlm_sync_enum DramModule::nb_transport_fw(tlm::tlm_generic_payload& trans,
                                               tlm::tlm_phase& phase, sc_time& delay) {
  if (phase == tlm::BEGIN_REQ) {
    const Cycle now = toCycle(sc_core::sc_time_stamp());
    const Cycle at = toCycle(sc_core::sc_time_stamp() + delay);
    Transaction* t =
        start(trans.get_address(), trans.get_data_length(), trans.is_write(), at, &trans);
    if (at == now) {
      inline_ = t;
      admit(now);
      inline_ = nullptr;
      collect();
    }
    wake_.notify(SC_ZERO_TIME);
    if (t->toAdmit == 0) {
      phase = tlm::END_REQ;
      return tlm::TLM_UPDATED;
    }
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::END_RESP) {
    finishResponse();
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

namespace {

// Replays a traffic source as AT transactions, one burst each, in order.
class TrafficInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TrafficInitiator> socket;

  TrafficInitiator(sc_core::sc_module_name name, DramModule& target, TrafficSource& source,
                   uint64_t maxRequests)
      : sc_module(name),
        socket("socket"),
        target_(target),
        source_(source),
        max_(maxRequests),
        buffer_(size_t(target.system().spec().org.burstBytes()), 0) {
    socket.register_nb_transport_bw(this, &TrafficInitiator::nb_transport_bw);
    socket.bind(target.socket);
    SC_HAS_PROCESS(TrafficInitiator);
    SC_THREAD(run);
  }
  uint64_t sent() const { return sent_; }
  std::exception_ptr error;

 private:
  void run() {
    try {
      TrafficRequest r;
      while (sent_ < max_ && source_.next(r)) {
        const sc_time at = target_.cycleTime() * double(r.arrival);
        if (at > sc_core::sc_time_stamp()) wait(at - sc_core::sc_time_stamp());
        auto owned = std::make_unique<tlm::tlm_generic_payload>();
        tlm::tlm_generic_payload* p = owned.get();
        inFlight_.emplace(p, std::move(owned));
        p->set_address(r.address);
        p->set_command(r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        p->set_data_ptr(buffer_.data());
        p->set_data_length(unsigned(buffer_.size()));
        p->set_streaming_width(unsigned(buffer_.size()));
        p->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        tlm::tlm_phase phase = tlm::BEGIN_REQ;
        sc_time delay = SC_ZERO_TIME;
        ++sent_;
        const tlm::tlm_sync_enum s = socket->nb_transport_fw(*p, phase, delay);
        if (!(s == tlm::TLM_UPDATED && phase == tlm::END_REQ)) wait(endReq_);
      }
    } catch (...) {
      error = std::current_exception();
      sc_core::sc_stop();
    }
  }
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase, sc_time&) {
    if (phase == tlm::END_REQ) {
      endReq_.notify();
      return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
      inFlight_.erase(&p);
      return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_ACCEPTED;
  }

  DramModule& target_;
  TrafficSource& source_;
  uint64_t max_;
  uint64_t sent_ = 0;
  std::vector<unsigned char> buffer_;
  sc_core::sc_event endReq_;
  // Payloads sent and not yet answered (owned here, so a stopped run leaks nothing).
  std::unordered_map<tlm::tlm_generic_payload*, std::unique_ptr<tlm::tlm_generic_payload>>
      inFlight_;
};

}  // namespace

DramRunSummary runTrafficSystemC(const DramSpec& spec, const DramSystemOptions& options,
                                 TrafficSource& source, uint64_t maxRequests,
                                 const std::string& workload) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  // Errors reach the caller as exceptions; SystemC's own info lines ("simulation
  // stopped by user") would only clutter the report.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  DramModule memory("memory", spec, options, spec.org.burstBytes());
  TrafficInitiator initiator("initiator", memory, source, maxRequests);
  try {
    sc_core::sc_start();
  } catch (const sc_core::sc_report& e) {
    throw Error(fmt::format("SystemC: {}", e.what()));
  }
  if (memory.error) std::rethrow_exception(memory.error);
  if (initiator.error) std::rethrow_exception(initiator.error);
  DramRunSummary s;
  s.workload = workload;
  s.requests = initiator.sent();
  s.stats = memory.system().stats();
  s.energy = computeEnergy(spec, s.stats);
  s.commandsChecked = memory.system().commandsChecked();
  return s;
}

}  // namespace specmamba::dram
