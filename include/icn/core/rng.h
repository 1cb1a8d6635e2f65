#pragma once
// Counter-based random numbers keyed by identity, never by schedule (MODEL.md section 7).
//
// A task (master seed, design point, replicate) owns a 64-bit Philox key. Every draw
// is Philox4x32-10(counter, key) with counter = (draw block, actor, tick, stage), so a
// stream is a pure function of who draws what and when: the same on any thread or
// rank, in any order. Distributions are our own code on top of the raw words, so the
// numbers do not depend on the standard library.
#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <span>
#include <utility>

namespace icn::rng {

/// Identity of one task's random numbers.
struct TaskKey {
  std::uint64_t master_seed = 0;
  std::uint32_t point = 0;
  std::uint32_t replicate = 0;
};

/// What a stream is drawn for; part of the counter so streams never overlap.
enum class Stage : std::uint32_t {
  kInit = 0,
  kExchange = 1,
  kCompetition = 2,
  kCooperation = 3,
  kSharing = 4,
  kEvaluation = 5,
  kEntry = 6,
  kGovernment = 7,
  kFinance = 8,
  kNoise = 9,      ///< additive noise of analytic models
  kDesign = 10,    ///< design generators (scrambling, LHS permutations)
  kAnalysis = 11,  ///< bootstrap resampling
  kTest = 255,
};

/// The 64-bit Philox key of one task.
struct Key {
  std::uint32_t k0 = 0;
  std::uint32_t k1 = 0;
  /// Derives the key of (master seed, point, replicate) by one Philox round trip:
  /// a bijection of (point, replicate) for a fixed seed, truncated to 64 bits.
  static Key derive(const TaskKey& task);
  /// A key straight from a 64-bit seed (design generators, bootstrap).
  static Key from_seed(std::uint64_t seed);
  friend bool operator==(const Key&, const Key&) = default;
};

/// The raw Philox4x32-10 block function (Random123's; known-answer tests check it).
/// Inline: every actor's stream starts with a block, so the call would be a hot one.
inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                                  std::array<std::uint32_t, 2> key) {
  using Philox = r123::Philox4x32_R<10>;
  const Philox::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const Philox::key_type k = {{key[0], key[1]}};
  const Philox::ctr_type r = Philox{}(c, k);
  return {r[0], r[1], r[2], r[3]};
}

/// A stream of 32-bit words for one (key, tick, stage, actor). Cheap to construct on
/// the stack; copying it forks the position, not the identity.
class Stream {
 public:
  Stream(Key key, std::uint32_t tick, Stage stage, std::uint32_t actor)
      : key_(key), tick_(tick), stage_(static_cast<std::uint32_t>(stage)), actor_(actor) {}

  std::uint32_t next_u32() {
    if (pos_ == 4) refill();
    return buf_[pos_++];
  }
  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  /// Number of 4-word blocks consumed so far.
  std::uint32_t blocks_used() const { return block_; }

 private:
  void refill() {
    buf_ = philox4x32_10({block_, actor_, tick_, stage_}, {key_.k0, key_.k1});
    ++block_;
    pos_ = 0;
  }
  Key key_;
  std::uint32_t tick_;
  std::uint32_t stage_;
  std::uint32_t actor_;
  std::uint32_t block_ = 0;
  std::uint32_t pos_ = 4;
  std::array<std::uint32_t, 4> buf_{};
};

/// Uniform double in [0, 1) with 53 random bits.
inline double uniform(Stream& s) { return static_cast<double>(s.next_u64() >> 11) * 0x1.0p-53; }

/// Uniform double in [lo, hi).
inline double uniform(Stream& s, double lo, double hi) { return lo + (hi - lo) * uniform(s); }

/// Unbiased integer in [0, n) (Lemire's multiply-and-reject); n must be > 0.
inline std::uint32_t below(Stream& s, std::uint32_t n) {
  // Lemire (2019): multiply, reject the few low products that would bias the result.
  std::uint64_t m = static_cast<std::uint64_t>(s.next_u32()) * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = (0u - n) % n;
    while (low < threshold) {
      m = static_cast<std::uint64_t>(s.next_u32()) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

/// Unbiased integer in [lo, hi] inclusive.
std::int64_t integer(Stream& s, std::int64_t lo, std::int64_t hi);

/// True with probability p.
inline bool bernoulli(Stream& s, double p) { return uniform(s) < p; }

/// Standard normal by Box–Muller (one value per call, two uniforms consumed).
double normal(Stream& s);

/// Normal with mean and standard deviation.
inline double normal(Stream& s, double mean, double sd) { return mean + sd * normal(s); }

/// Poisson variate: inversion for small means, PTRS (Hörmann 1993) for large ones.
std::uint64_t poisson(Stream& s, double mean);

/// Fisher–Yates shuffle.
template <class T>
void shuffle(Stream& s, std::span<T> v) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = below(s, static_cast<std::uint32_t>(i));
    std::swap(v[i - 1], v[j]);
  }
}

}  // namespace icn::rng
