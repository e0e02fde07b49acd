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
  while (leaves_ < wake_.size()) leaves_ *= 2;
  wake_.resize(leaves_, NEVER);  // padding leaves never win against a real channel
  winner_.assign(2 * leaves_, 0);
  for (size_t i = 0; i < leaves_; ++i) winner_[leaves_ + i] = uint32_t(i);
  for (size_t k = leaves_ - 1; k >= 1; --k) {
    const uint32_t a = winner_[2 * k], b = winner_[2 * k + 1];
    winner_[k] = wake_[b] < wake_[a] ? b : a;
  }
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
  updateWinners(ch);
}

void DramSystem::updateWinners(size_t ch) {
  for (size_t k = (leaves_ + ch) / 2; k >= 1; k /= 2) {
    const uint32_t a = winner_[2 * k], b = winner_[2 * k + 1];
    // Ties go to the lower channel index (a is always the lower one).
    winner_[k] = wake_[b] < wake_[a] ? b : a;
  }
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
  if (!c.canAccept(write, r.addr)) return false;
  c.enqueue(r);
  // Wake the controller only if the new request could go before its next event.
  const Cycle e = c.earliestFor(r);
  if (e < wake_[ch]) schedule(ch, e);
  return true;
}

void DramSystem::advanceTo(Cycle t) {
  for (;;) {
    const size_t ch = nextChannel();
    const Cycle when = wake_[ch];
    if (when >= t || when == NEVER) break;
    schedule(ch, channels_[ch]->step(when));
  }
  now_ = std::max(now_, t);
}

Cycle DramSystem::nextEvent() {
  return wake_[nextChannel()];
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
