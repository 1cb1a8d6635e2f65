#pragma once
// Sobol' low-discrepancy sequence (Bratley & Fox 1988, Joe & Kuo 2008) in up to
// kSobolMaxDims dimensions, 32-bit digits, Gray-code order (Antonov & Saleev 1979).
//
// Point i of the plain sequence is the XOR of the direction numbers selected by the bits
// of gray(i) = i ^ (i >> 1); point 0 is the origin. With scrambling, the direction numbers
// are multiplied by a random lower-triangular binary matrix with unit diagonal and every
// point gets a random digital shift (Matoušek's linear matrix scramble + digital shift,
// keyed by a seed). That randomisation keeps each dimension's and each 2^m-block's
// (t, m, s)-net structure, but it is not Owen's full nested scramble.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace icn::design {

/// Dimensions covered by the built-in Joe–Kuo table (dimension 1 plus 255 rows).
inline constexpr int kSobolMaxDims = 256;
/// Bits per coordinate; the sequence has 2^32 distinct points.
inline constexpr int kSobolBits = 32;

class SobolSequence {
 public:
  /// Throws InputError when dims is outside [1, kSobolMaxDims].
  explicit SobolSequence(int dims, bool scramble = false, std::uint64_t seed = 0);

  int dims() const { return dims_; }
  bool scrambled() const { return scrambled_; }

  /// Point `index` (0-based; point 0 of the plain sequence is the origin) into out[0..dims).
  void point(std::uint64_t index, std::span<double> out) const;

  /// Rows first .. first + n - 1 as an n × dims matrix, generated in Gray-code order.
  Eigen::MatrixXd points(std::uint64_t first, std::int64_t n) const;

  /// Direction number V_k (k = 1..32) of dimension j (0-based), after scrambling if any.
  std::uint32_t direction(int j, int k) const {
    return v_[static_cast<std::size_t>(j) * kSobolBits + static_cast<std::size_t>(k - 1)];
  }

 private:
  std::uint32_t digits(int j, std::uint64_t index) const;  // 32-bit coordinate j of a point

  int dims_;
  bool scrambled_;
  std::vector<std::uint32_t> v_;      // dims × 32 direction numbers
  std::vector<std::uint32_t> shift_;  // per-dimension digital shift (zero when plain)
};

/// The n × dims unit points a Sobol' design uses. The plain sequence skips its first
/// point (the origin, a corner of the cube that is an atypical sample and maps to every
/// factor's lower bound), so row 0 is point 1; the scrambled sequence keeps point 0,
/// which is then random, so that the first 2^m rows stay a scrambled (t, m, s)-net
/// (Owen 2020, "On dropping the first Sobol' point").
Eigen::MatrixXd sobol_unit(std::int64_t n, int dims, bool scramble, std::uint64_t seed);

}  // namespace icn::design
