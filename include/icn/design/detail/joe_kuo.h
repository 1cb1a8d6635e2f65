#pragma once
// Joe & Kuo's Sobol' direction numbers (new-joe-kuo-6.21201), internal to the design area;
// exposed in a detail header so tests can check the table's structure.
//
// S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654. Dimension 1 (van der Corput)
// has no row; row i describes dimension i + 2.
#include <array>
#include <cstdint>
#include <span>

namespace icn::design::detail {

/// Longest initial direction-number list in the table (degree of the last polynomial).
inline constexpr int kJoeKuoMaxDegree = 11;

/// One dimension's primitive polynomial and initial direction numbers.
struct JoeKuoRow {
  std::uint8_t s;   ///< degree of the primitive polynomial
  std::uint16_t a;  ///< its inner coefficients a_1..a_{s-1}, a_1 as the most significant bit
  std::array<std::uint16_t, kJoeKuoMaxDegree> m;  ///< m_1..m_s (odd, m_k < 2^k); rest 0
};

/// Rows for dimensions 2, 3, ... of the published file.
std::span<const JoeKuoRow> joe_kuo_table();

}  // namespace icn::design::detail
