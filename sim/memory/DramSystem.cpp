#include "sim/memory/DramSystem.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/common/Error.h"

namespace specmamba::dram {

DramSystem::DramSystem(DramSpec spec, const DramSystemOptions& options)
    : spec_(std::move(spec)),
      mapper_(spec_.controller.mapping, spec_.org),
      table_(buildTimingTable(spec_)),
      wake_(size_t(spec_.org.channels), NEVER) {
  for (int c = 0; c < spec_.org.channels; ++c) {
    channels_.push_back(std::make_unique<ChannelController>(spec_, c, table_, &completions_));
    if (options.checker)
      channels_.back()->setChecker(std::make_unique<ProtocolChecker>(spec_, table_));
    if (!options.disableConstraint.empty() &&
        channels_.back()->timing().disableConstraint(options.disableConstraint) == 0) {
      throw Error(fmt::format("no timing constraint named \"{}\"", options.disableConstraint));
    }
    // Idle controllers still wake for refresh.
    schedule(size_t(c), channels_.back()->step(0));
  }
}

void DramSystem::schedule(size_t ch, Cycle when) {
  wake_[ch] = when;
  if (when != NEVER) events_.push({when, ch});
}

void DramSystem::setObserver(const CommandObserver& o) {
  for (auto& c : channels_) c->setObserver(o);
}

bool DramSystem::trySubmit(uint64_t address, bool write, uint64_t id, Cycle at) {
  if (at < now_)
    throw Error(fmt::format("request at cycle {} is before the current cycle {}", at, now_));
  advanceTo(at);
  DramRequest r;
  r.id = id;
  r.addr = mapper_.decode(address);
  r.write = write;
  r.arrival = at;
  r.ready = at + spec_.controller.frontendLatency;
  const size_t ch = size_t(r.addr.channel);
  ChannelController& c = *channels_[ch];
  if (!c.canAccept(write)) return false;
  c.enqueue(r);
  // Wake the controller only if the new request could go before its next event.
  const Cycle e = c.earliestFor(r);
  if (e < wake_[ch]) schedule(ch, e);
  return true;
}

void DramSystem::advanceTo(Cycle t) {
  while (!events_.empty() && events_.top().first < t) {
    const auto [when, ch] = events_.top();
    events_.pop();
    if (when != wake_[ch]) continue;  // superseded
    schedule(ch, channels_[ch]->step(when));
  }
  now_ = std::max(now_, t);
}

Cycle DramSystem::nextEvent() {
  while (!events_.empty() && events_.top().first != wake_[events_.top().second]) events_.pop();
  return events_.empty() ? NEVER : events_.top().first;
}

bool DramSystem::busy() const {
  return std::any_of(channels_.begin(), channels_.end(), [](const auto& c) { return c->busy(); });
}

Cycle DramSystem::drain() {
  while (busy()) advanceTo(nextEvent() + 1);
  Cycle last = 0;
  for (const auto& c : channels_) last = std::max(last, c->stats().lastCompletion);
  return last;
}

Cycle DramSystem::access(uint64_t address, bool write, Cycle at) {
  const uint64_t id = nextId_++;
  at = std::max(at, now_);
  while (!trySubmit(address, write, id, at)) at = std::max(at + 1, nextEvent() + 1);
  for (;;) {
    for (size_t i = completions_.size(); i-- > 0;) {
      if (completions_[i].id == id) {
        const Cycle done = completions_[i].done;
        completions_.erase(completions_.begin() + std::ptrdiff_t(i));
        return done;
      }
    }
    advanceTo(nextEvent() + 1);
  }
}

uint64_t DramSystem::commandsChecked() const {
  uint64_t n = 0;
  for (const auto& c : channels_) n += c->commandsChecked();
  return n;
}

ChannelStats DramSystem::stats() {
  Cycle end = now_;
  for (const auto& c : channels_) end = std::max(end, c->stats().lastCompletion);
  ChannelStats all;
  for (auto& c : channels_) {
    c->finish(end);
    all.merge(c->stats());
  }
  all.accountedUntil = end;
  return all;
}

}  // namespace specmamba::dram
