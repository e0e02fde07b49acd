#include "sim/memory/EnergyModel.h"

namespace specmamba::dram {

CommandEnergy commandEnergy(const DramSpec& spec) {
  const DramTiming& t = spec.timing;
  const double tck = double(t.tckPs) / 1000.0;  // ns
  const double burst = spec.org.burstCycles() * tck;
  CommandEnergy e;
  for (const PowerRail& r : spec.power.rails) {
    const double v = r.volts;
    e.act += (r.idd0 - r.idd3n) * t.tRAS * tck * v;
    e.pre += (r.idd0 - r.idd2n) * t.tRP * tck * v;
    e.rd += (r.idd4r - r.idd3n) * burst * v;
    e.wr += (r.idd4w - r.idd3n) * burst * v;
    e.refab += (r.idd5 - r.idd3n) * t.tRFC * tck * v;
    e.activeStandby += r.idd3n * tck * v;
    e.prechargeStandby += r.idd2n * tck * v;
  }
  const double devices = spec.org.devicesPerRank;
  for (double* x :
       {&e.act, &e.pre, &e.rd, &e.wr, &e.refab, &e.activeStandby, &e.prechargeStandby}) {
    *x *= devices;
  }
  e.refpb = e.refab / spec.org.banksPerRank();
  return e;
}

EnergyBreakdown computeEnergy(const DramSpec& spec, const ChannelStats& s) {
  const CommandEnergy e = commandEnergy(spec);
  auto n = [&](Command c) { return double(s.commands[index(c)]); };
  EnergyBreakdown b;
  b.act = n(Command::ACT) * e.act;
  b.pre = double(s.rowsClosed) * e.pre;  // PRE, each bank PREA closed, RDA/WRA
  b.rd = (n(Command::RD) + n(Command::RDA)) * e.rd;
  b.wr = (n(Command::WR) + n(Command::WRA)) * e.wr;
  b.ref = n(Command::REFab) * e.refab + n(Command::REFpb) * e.refpb;
  double active = 0;
  for (Cycle c : s.activeCycles) active += double(c);
  const double rankCycles = double(spec.org.channels) * spec.org.ranks * double(s.accountedUntil);
  b.background = active * e.activeStandby + (rankCycles - active) * e.prechargeStandby;
  b.io = double(s.reads + s.writes) * spec.org.burstBytes() * 8.0 * spec.power.ioPjPerBit;
  return b;
}

}  // namespace specmamba::dram
