#include "icn/design/saltelli.h"

#include <string>

#include "icn/core/error.h"
#include "icn/design/sobol.h"

namespace icn::design {

SaltelliLayout saltelli_layout(const Design& design) {
  if (design.kind != DesignKind::kSaltelli) {
    throw InputError("saltelli_layout: the design is a " + std::string(kind_name(design.kind)) +
                     " design");
  }
  return SaltelliLayout{design.base_n, design.dims(), design.second_order};
}

Eigen::MatrixXd saltelli_unit(std::int64_t n, int d, bool second_order, bool scramble,
                              std::uint64_t seed) {
  if (d < 1 || 2 * d > kSobolMaxDims) {
    throw InputError("saltelli design: " + std::to_string(d) +
                     " factors; the scheme needs 2 D <= " + std::to_string(kSobolMaxDims) +
                     " Sobol' dimensions");
  }
  const Eigen::MatrixXd base = sobol_unit(n, 2 * d, scramble, seed);
  const SaltelliLayout layout{n, d, second_order};
  Eigen::MatrixXd out(layout.rows(), d);
  for (std::int64_t j = 0; j < n; ++j) {
    const auto a = base.row(j).head(d);
    const auto b = base.row(j).tail(d);
    out.row(layout.a(j)) = a;
    out.row(layout.b(j)) = b;
    for (int i = 0; i < d; ++i) {
      out.row(layout.ab(j, i)) = a;
      out(layout.ab(j, i), i) = b(i);
      if (second_order) {
        out.row(layout.ba(j, i)) = b;
        out(layout.ba(j, i), i) = a(i);
      }
    }
  }
  return out;
}

}  // namespace icn::design
