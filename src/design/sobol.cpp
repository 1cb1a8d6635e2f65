#include "icn/design/sobol.h"

#include <bit>
#include <string>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/design/detail/joe_kuo.h"
#include "icn/design/detail/streams.h"

namespace icn::design {
namespace {

constexpr double kDigitScale = 0x1.0p-32;

// Direction numbers of dimension j (0-based), V_k = m_k 2^(32-k), extended past the
// polynomial's degree by the Sobol' recurrence (Bratley & Fox 1988, eq. 2).
void fill_directions(int j, std::uint32_t* v) {
  if (j == 0) {  // van der Corput: every m_k = 1
    for (int k = 0; k < kSobolBits; ++k) v[k] = 1u << (kSobolBits - 1 - k);
    return;
  }
  const detail::JoeKuoRow& row = detail::joe_kuo_table()[static_cast<std::size_t>(j - 1)];
  const int s = row.s;
  for (int k = 0; k < s && k < kSobolBits; ++k) {
    v[k] = static_cast<std::uint32_t>(row.m[static_cast<std::size_t>(k)]) << (kSobolBits - 1 - k);
  }
  for (int k = s; k < kSobolBits; ++k) {
    std::uint32_t x = v[k - s] ^ (v[k - s] >> s);
    for (int i = 1; i < s; ++i) {
      if ((row.a >> (s - 1 - i)) & 1u) x ^= v[k - i];
    }
    v[k] = x;
  }
}

// Left-multiplies every direction number of one dimension by a random lower-triangular
// binary matrix with unit diagonal (digit 0 = most significant bit). Output digit r
// depends on input digits 0..r only, which is what preserves the net property.
void scramble_directions(rng::Stream& s, std::uint32_t* v) {
  std::uint32_t rows[kSobolBits];
  for (int r = 0; r < kSobolBits; ++r) {
    const std::uint32_t diagonal = 1u << (kSobolBits - 1 - r);
    const std::uint32_t above = r == 0 ? 0u : ~0u << (kSobolBits - r);  // digits 0..r-1
    rows[r] = (s.next_u32() & above) | diagonal;
  }
  for (int k = 0; k < kSobolBits; ++k) {
    std::uint32_t out = 0;
    for (int r = 0; r < kSobolBits; ++r) {
      if (std::popcount(rows[r] & v[k]) & 1) out |= 1u << (kSobolBits - 1 - r);
    }
    v[k] = out;
  }
}

}  // namespace

SobolSequence::SobolSequence(int dims, bool scramble, std::uint64_t seed)
    : dims_(dims), scrambled_(scramble) {
  if (dims < 1 || dims > kSobolMaxDims) {
    throw InputError("Sobol' sequence: " + std::to_string(dims) +
                     " dimensions requested; supported are 1 to " + std::to_string(kSobolMaxDims));
  }
  const auto d = static_cast<std::size_t>(dims);
  v_.resize(d * kSobolBits);
  shift_.assign(d, 0u);
  for (int j = 0; j < dims; ++j) {
    std::uint32_t* v = v_.data() + static_cast<std::size_t>(j) * kSobolBits;
    fill_directions(j, v);
    if (scramble) {
      rng::Stream s(rng::Key::from_seed(seed), detail::kTickSobolScramble, rng::Stage::kDesign,
                    static_cast<std::uint32_t>(j));
      scramble_directions(s, v);
      shift_[static_cast<std::size_t>(j)] = s.next_u32();
    }
  }
}

std::uint32_t SobolSequence::digits(int j, std::uint64_t index) const {
  const std::uint64_t gray = index ^ (index >> 1);
  std::uint32_t x = shift_[static_cast<std::size_t>(j)];
  for (int k = 0; k < kSobolBits; ++k) {
    if ((gray >> k) & 1u) x ^= direction(j, k + 1);
  }
  return x;
}

void SobolSequence::point(std::uint64_t index, std::span<double> out) const {
  for (int j = 0; j < dims_; ++j) {
    out[static_cast<std::size_t>(j)] = static_cast<double>(digits(j, index)) * kDigitScale;
  }
}

Eigen::MatrixXd SobolSequence::points(std::uint64_t first, std::int64_t n) const {
  constexpr std::uint64_t kPeriod = std::uint64_t{1} << kSobolBits;
  if (n < 0 || first > kPeriod || static_cast<std::uint64_t>(n) > kPeriod - first) {
    throw InputError("Sobol' sequence: rows " + std::to_string(first) + " + " + std::to_string(n) +
                     " exceed the 2^32 points of a 32-bit sequence");
  }
  Eigen::MatrixXd out(n, dims_);
  if (n == 0) return out;
  // Column by column (Eigen stores columns contiguously): start from the directly
  // computed first row, then walk in Gray-code order, where consecutive codes differ in
  // the bit at the trailing-zero count of the new index.
  for (int j = 0; j < dims_; ++j) {
    const std::uint32_t* v = v_.data() + static_cast<std::size_t>(j) * kSobolBits;
    double* col = out.col(j).data();
    std::uint32_t x = digits(j, first);
    for (std::int64_t r = 0;; ++r) {
      col[r] = static_cast<double>(x) * kDigitScale;
      if (r + 1 == n) break;
      x ^= v[std::countr_zero(first + static_cast<std::uint64_t>(r) + 1)];
    }
  }
  return out;
}

Eigen::MatrixXd sobol_unit(std::int64_t n, int dims, bool scramble, std::uint64_t seed) {
  const SobolSequence seq(dims, scramble, seed);
  return seq.points(scramble ? 0 : 1, n);
}

}  // namespace icn::design
