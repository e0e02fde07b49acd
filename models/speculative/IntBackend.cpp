#include "models/speculative/IntBackend.h"

#include <fmt/format.h>

#include "models/common/Error.h"

namespace specmamba {

void IntBackend::checkTile(int tileHeads) const {
  if (tileHeads % intops::kGroup != 0) {
    throw Error(fmt::format("--tile-heads: the integer model tiles whole groups of {} heads "
                            "(dt, A and D share an exponent per group), got {}",
                            intops::kGroup, tileHeads));
  }
}

IntRows IntBackend::embed(const std::vector<int>& tokens) const {
  IntRows r(int(tokens.size()), config().dModel);
  for (size_t i = 0; i < tokens.size(); ++i) m_.embed(tokens[i], r.row(int(i)));
  return r;
}

IntRows IntBackend::project(int layer, const IntRows& residual) const {
  IntRows zx(residual.rows, config().inProjOut());
  m_.project(layer, residual.rows, residual.data.data(), zx.data.data());
  return zx;
}

}  // namespace specmamba
