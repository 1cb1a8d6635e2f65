#include "icn/analysis/incomplete_blocks.h"

#include "icn/core/error.h"
#include "icn/design/saltelli.h"

namespace icn::analysis {

IncompleteBlocks incomplete_blocks(const design::Design& design,
                                   const std::vector<std::int64_t>& failed,
                                   const std::vector<std::int64_t>& runs) {
  IncompleteBlocks out;
  std::int64_t rows_per_block = 0;
  if (design.kind == design::DesignKind::kSaltelli) {
    out.unit = "Saltelli base sample";
    rows_per_block = design::saltelli_layout(design).block();
  } else if (design.kind == design::DesignKind::kMorris) {
    out.unit = "Morris trajectory";
    rows_per_block = static_cast<std::int64_t>(design.names.size()) + 1;
  } else {
    return out;
  }
  if (failed.size() != runs.size())
    throw RuntimeError("internal: incomplete_blocks with counts of different lengths");
  const auto n_points = static_cast<std::int64_t>(failed.size());
  for (std::int64_t first = 0; first < n_points; first += rows_per_block) {
    bool some = false, all = false;
    for (std::int64_t p = first; p < first + rows_per_block && p < n_points; ++p) {
      const auto i = static_cast<std::size_t>(p);
      some = some || failed[i] > 0;
      all = all || (failed[i] > 0 && failed[i] == runs[i]);
    }
    if (all) {
      out.empty.push_back(first / rows_per_block);
    } else if (some) {
      out.partial.push_back(first / rows_per_block);
    }
  }
  return out;
}

}  // namespace icn::analysis
