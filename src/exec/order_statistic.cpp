#include "icn/exec/order_statistic.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "icn/exec/openmp.h"

namespace icn::exec {

namespace {

constexpr int kBits = 16;  // per pass: 2^16 counters (256 KiB) per thread
constexpr std::size_t kBins = std::size_t{1} << kBits;
// Few enough candidates for the one serial nth_element (not tuned: BM_Median, bench_stats,
// measures the whole).
constexpr std::size_t kFewEnough = 4096;

// Order-preserving key: a < b as numbers exactly when key(a) < key(b). Adding 0.0 turns
// -0.0 into 0.0, so that the two zeros, equal as numbers, share a key.
std::uint64_t key(double x) {
  const auto u = std::bit_cast<std::uint64_t>(x + 0.0);
  return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
}

// The keys whose top `known` bits are `prefix`.
struct Prefix {
  std::uint64_t prefix = 0;
  int known = 0;
  bool matches(std::uint64_t u) const { return known == 0 || (u >> (64 - known)) == prefix; }
};

// Counts, per value of the next kBits bits, the values matching `p`: one histogram per
// thread over a contiguous range of the values. Returns the team's size.
std::uint32_t histogram(std::span<const double> values, Prefix p, int threads,
                        BucketScratch& counts) {
  if (counts.size() < static_cast<std::size_t>(threads))
    counts.resize(static_cast<std::size_t>(threads));
  const int shift = 64 - p.known - kBits;
  std::uint32_t used = 1;
#pragma omp parallel num_threads(threads)
  {
    const auto [me, team] = team_member();
    if (me == 0) used = team;
    const auto [lo, hi] = range_of(static_cast<std::uint32_t>(values.size()), me, team);
    std::vector<std::uint32_t>& c = counts[me];
    c.assign(kBins, 0);
    for (std::uint32_t i = lo; i < hi; ++i) {
      const std::uint64_t u = key(values[i]);
      if (p.matches(u)) ++c[(u >> shift) & (kBins - 1)];
    }
  }
  return used;
}

// Narrows rank k down on a team: leaves in scratch.candidates, in their order in `values`,
// the values whose keys share the prefix of the value of rank k, at most kFewEnough of them
// unless they are all equal, and returns k's rank among them.
std::size_t narrow(std::span<const double> values, std::size_t k, int threads,
                   NthScratch& scratch) {
  Prefix p;
  std::size_t left = values.size();  // values matching p; k is the rank among them
  while (left > kFewEnough && p.known < 64) {
    const std::uint32_t team = histogram(values, p, threads, scratch.counts);
    // The bin holding rank k (bins in key order, the threads' counts added).
    std::size_t below = 0;
    std::uint64_t bin = 0;
    for (;; ++bin) {
      std::size_t here = 0;
      for (std::uint32_t r = 0; r < team; ++r) here += scratch.counts[r][bin];
      if (k < below + here) {
        left = here;
        break;
      }
      below += here;
    }
    k -= below;
    p.prefix = (p.prefix << kBits) | bin;
    p.known += kBits;
  }
  select_items(
      static_cast<std::uint32_t>(values.size()), threads,
      [&](std::uint32_t i) { return p.matches(key(values[i])); }, scratch.index, scratch.select);
  std::vector<double>& c = scratch.candidates;
  c.resize(scratch.index.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = values[scratch.index[i]];
  return k;
}

// The value of rank k of `v` (std::nth_element, in place: the smaller values end in front).
double place(std::span<double> v, std::size_t k) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

double nth_value(std::span<double> values, std::size_t k, int threads, NthScratch& scratch) {
  if (k >= values.size()) {
    throw std::out_of_range("nth_value: rank " + std::to_string(k) + " of " +
                            std::to_string(values.size()) + " values");
  }
  if (threads <= 1) return place(values, k);
  const std::size_t at = narrow(values, k, threads, scratch);
  return place(scratch.candidates, at);
}

double median(std::span<double> values, int threads, NthScratch& scratch) {
  if (values.empty()) throw std::invalid_argument("median: no values");
  const std::size_t mid = values.size() / 2;
  // One thread partitions the values themselves; a team, the middle value's candidates.
  std::span<double> part = values;
  std::size_t at = mid;
  if (threads > 1) {
    at = narrow(values, mid, threads, scratch);
    part = scratch.candidates;
  }
  const double upper = place(part, at);
  if (values.size() % 2 != 0) return upper;
  // The value below the middle is the largest in front of it - among the candidates only
  // if the middle value is not the smallest of them.
  const double lower =
      at > 0 ? *std::max_element(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(at))
             : nth_value(values, mid - 1, threads, scratch);
  return 0.5 * (upper + lower);
}

}  // namespace icn::exec
