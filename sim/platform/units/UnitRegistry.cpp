#include "sim/platform/units/UnitRegistry.h"

#include <fmt/format.h>

#include <functional>

#include "models/common/Error.h"

namespace specmamba::platform {

namespace {

template <class T>
using Factory = std::function<std::unique_ptr<T>(const UnitContext&)>;

template <class T>
struct Entry {
  const char* name;
  Factory<T> make;
};

// The tables: one row per implementation of each interface.
const std::vector<Entry<Mmu>> kMmu{{"fast", makeFastMmu}};
const std::vector<Entry<Ssmu>> kSsmu{{"fast", makeFastSsmu}};
const std::vector<Entry<Conv>> kConv{{"fast", makeFastConv}};
const std::vector<Entry<Norm>> kNorm{{"fast", makeFastNorm}};
const std::vector<Entry<Htu>> kHtu{{"fast", makeFastHtu}};
const std::vector<Entry<Quant>> kQuant{{"fast", makeFastQuant}};
const std::vector<Entry<Residual>> kResidual{{"fast", makeFastResidual}};

template <class T>
std::vector<std::string> names(const std::vector<Entry<T>>& table) {
  std::vector<std::string> out;
  for (const auto& e : table) out.emplace_back(e.name);
  return out;
}

template <class T>
std::unique_ptr<T> make(const std::vector<Entry<T>>& table, UnitKind unit, const UnitContext& ctx) {
  const std::string& want = ctx.accel->unitImpl(unit);
  for (const auto& e : table) {
    if (want == e.name) return e.make(ctx);
  }
  throw ConfigError(fmt::format("accelerator.units.{}: no implementation \"{}\" (built: {})",
                                unitName(unit), want, fmt::join(names(table), ", ")));
}

}  // namespace

std::vector<std::string> unitImplementations(UnitKind unit) {
  switch (unit) {
    case UnitKind::Mmu:
      return names(kMmu);
    case UnitKind::Ssmu:
      return names(kSsmu);
    case UnitKind::Conv:
      return names(kConv);
    case UnitKind::Norm:
      return names(kNorm);
    case UnitKind::Htu:
      return names(kHtu);
    case UnitKind::Quant:
      return names(kQuant);
    case UnitKind::Residual:
      return names(kResidual);
    case UnitKind::kCount:
      break;
  }
  return {};
}

Units makeUnits(const UnitContext& ctx) {
  Units u;
  u.mmu = make(kMmu, UnitKind::Mmu, ctx);
  u.ssmu = make(kSsmu, UnitKind::Ssmu, ctx);
  u.conv = make(kConv, UnitKind::Conv, ctx);
  u.norm = make(kNorm, UnitKind::Norm, ctx);
  u.htu = make(kHtu, UnitKind::Htu, ctx);
  u.quant = make(kQuant, UnitKind::Quant, ctx);
  u.residual = make(kResidual, UnitKind::Residual, ctx);
  return u;
}

}  // namespace specmamba::platform
