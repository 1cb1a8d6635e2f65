#pragma once
// Saltelli's sampling scheme for Sobol' indices (Saltelli 2002; Saltelli et al. 2010).
//
// From N rows of a 2D-dimensional Sobol' sequence, A is the first D columns and B the
// last D; AB_i is A with column i taken from B, and BA_i is B with column i taken from A.
//
// Layout (the contract with the Sobol'-index estimator): base sample j owns one block of
// consecutive rows,
//   first order:   [A_j, AB_1j, ..., AB_Dj, B_j]                        D + 2 rows
//   second order:  [A_j, AB_1j, ..., AB_Dj, BA_1j, ..., BA_Dj, B_j]     2D + 2 rows
// so the design has N (D + 2) or N (2D + 2) rows; SaltelliLayout gives the row numbers.
// Keeping a base sample's rows together lets a partial study be analysed block by block.
#include <cstdint>

#include <Eigen/Core>

#include "icn/design/design.h"

namespace icn::design {

struct SaltelliLayout {
  std::int64_t n = 0;  ///< base samples N
  int d = 0;           ///< factors D
  bool second_order = false;

  std::int64_t block() const { return second_order ? 2 * d + 2 : d + 2; }
  std::int64_t rows() const { return n * block(); }
  std::int64_t a(std::int64_t j) const { return j * block(); }
  std::int64_t ab(std::int64_t j, int i) const { return j * block() + 1 + i; }
  /// Only with second_order.
  std::int64_t ba(std::int64_t j, int i) const { return j * block() + 1 + d + i; }
  std::int64_t b(std::int64_t j) const { return j * block() + block() - 1; }
};

/// The layout of a saltelli design (kind must be kSaltelli).
SaltelliLayout saltelli_layout(const Design& design);

/// The unit points of the scheme above from sobol_unit(n, 2 d, scramble, seed).
/// Throws InputError when 2 d exceeds kSobolMaxDims.
Eigen::MatrixXd saltelli_unit(std::int64_t n, int d, bool second_order, bool scramble,
                              std::uint64_t seed);

}  // namespace icn::design
