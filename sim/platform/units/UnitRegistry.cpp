#include "sim/platform/units/UnitRegistry.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba::platform {

namespace {

template <class T>
struct Entry {
  std::string name;
  UnitFactory<T> make;
};

// The tables: one row per implementation of each interface.
struct Tables {
  std::vector<Entry<Mmu>> mmu{{"fast", makeFastMmu}};
  std::vector<Entry<Ssmu>> ssmu{{"fast", makeFastSsmu}};
  std::vector<Entry<Conv>> conv{{"fast", makeFastConv}};
  std::vector<Entry<Norm>> norm{{"fast", makeFastNorm}};
  std::vector<Entry<Htu>> htu{{"fast", makeFastHtu}};
  std::vector<Entry<Quant>> quant{{"fast", makeFastQuant}};
  std::vector<Entry<Residual>> residual{{"fast", makeFastResidual}};
};

Tables& tables() {
  static Tables t;
  return t;
}

template <class T>
void add(std::vector<Entry<T>>& table, const std::string& name, const UnitFactory<T>& make) {
  if (!make) return;
  for (const auto& e : table) {
    if (e.name == name) return;
  }
  table.push_back({name, make});
}

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
  throw ConfigError(
      fmt::format("accelerator.units.{}: {}", unitName(unit), missingImplementation(unit, want)));
}

}  // namespace

void registerUnitImplementations(const std::string& name, const UnitFactories& f) {
  Tables& t = tables();
  add(t.mmu, name, f.mmu);
  add(t.ssmu, name, f.ssmu);
  add(t.conv, name, f.conv);
  add(t.norm, name, f.norm);
  add(t.htu, name, f.htu);
  add(t.quant, name, f.quant);
  add(t.residual, name, f.residual);
}

std::string missingImplementation(UnitKind unit, const std::string& impl) {
  const auto built = unitImplementations(unit);
  std::string why =
      fmt::format("implementation \"{}\" is not built (built: {})", impl, fmt::join(built, ", "));
  if (impl == "rtl" && unit == UnitKind::Residual) {
    why += "; there is no residual-add unit in rtl/, so the residual add is always \"fast\"";
  } else if (impl == "rtl") {
    why += "; the rtl units are linked into specmamba, specmamba-bench and test_platform only";
  }
  return why;
}

std::vector<std::string> unitImplementations(UnitKind unit) {
  const Tables& t = tables();
  switch (unit) {
    case UnitKind::Mmu:
      return names(t.mmu);
    case UnitKind::Ssmu:
      return names(t.ssmu);
    case UnitKind::Conv:
      return names(t.conv);
    case UnitKind::Norm:
      return names(t.norm);
    case UnitKind::Htu:
      return names(t.htu);
    case UnitKind::Quant:
      return names(t.quant);
    case UnitKind::Residual:
      return names(t.residual);
    case UnitKind::kCount:
      break;
  }
  return {};
}

Units makeUnits(const UnitContext& ctx) {
  const Tables& t = tables();
  Units u;
  u.mmu = make(t.mmu, UnitKind::Mmu, ctx);
  u.ssmu = make(t.ssmu, UnitKind::Ssmu, ctx);
  u.conv = make(t.conv, UnitKind::Conv, ctx);
  u.norm = make(t.norm, UnitKind::Norm, ctx);
  u.htu = make(t.htu, UnitKind::Htu, ctx);
  u.quant = make(t.quant, UnitKind::Quant, ctx);
  u.residual = make(t.residual, UnitKind::Residual, ctx);
  return u;
}

}  // namespace specmamba::platform
