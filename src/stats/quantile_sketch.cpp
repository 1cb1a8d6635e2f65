#include "icn/stats/quantile_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "icn/core/error.h"
#include "icn/stats/detail/serial.h"

namespace icn::stats {

QuantileSketch::QuantileSketch(int k) : k_(k), levels_(1), compactions_(1, 0) {
  if (k < 8 || k % 2 != 0) {
    throw InputError("quantile sketch: k must be even and at least 8, got " + std::to_string(k));
  }
  levels_[0].reserve(static_cast<std::size_t>(k) + 1);
}

void QuantileSketch::compress() {
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    if (levels_[h].size() > static_cast<std::size_t>(k_)) compact(h);
  }
}

void QuantileSketch::compact(std::size_t h) {
  if (h + 1 == levels_.size()) {
    levels_.emplace_back();
    compactions_.push_back(0);
  }
  std::vector<double>& level = levels_[h];
  std::sort(level.begin(), level.end());
  // An odd item out (the largest) stays, so the promoted part has even size and the total
  // weight is preserved exactly.
  const std::size_t paired = level.size() - level.size() % 2;
  const std::size_t offset = compactions_[h] % 2;
  std::vector<double>& up = levels_[h + 1];
  for (std::size_t i = offset; i < paired; i += 2) up.push_back(level[i]);
  level.erase(level.begin(), level.begin() + static_cast<std::ptrdiff_t>(paired));
  ++compactions_[h];
  bound_ += std::int64_t{1} << h;
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.k_ != k_) {
    throw RuntimeError("quantile sketch: cannot merge k = " + std::to_string(other.k_) +
                       " into k = " + std::to_string(k_));
  }
  if (other.n_ == 0) return;
  if (&other == this) {  // inserting a vector into itself would invalidate its iterators
    const QuantileSketch copy = other;
    merge(copy);
    return;
  }
  if (other.levels_.size() > levels_.size()) {
    levels_.resize(other.levels_.size());
    compactions_.resize(other.levels_.size(), 0);
  }
  for (std::size_t h = 0; h < other.levels_.size(); ++h) {
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
    // Both histories' parities add, so the offsets keep alternating across the union.
    compactions_[h] += other.compactions_[h];
  }
  n_ += other.n_;
  bound_ += other.bound_;
  compress();
}

std::size_t QuantileSketch::retained() const {
  std::size_t total = 0;
  for (const auto& level : levels_) total += level.size();
  return total;
}

std::vector<QuantileSketch::Weighted> QuantileSketch::sorted_items() const {
  std::vector<Weighted> items;
  items.reserve(retained());
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    for (double x : levels_[h]) items.push_back({x, std::int64_t{1} << h});
  }
  std::sort(items.begin(), items.end(),
            [](const Weighted& a, const Weighted& b) { return a.value < b.value; });
  return items;
}

double QuantileSketch::quantile_of(const std::vector<Weighted>& items, std::int64_t n, double q) {
  if (!(q >= 0 && q <= 1)) {
    throw InputError("quantile level must be in [0, 1], got " + std::to_string(q));
  }
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double h = q * static_cast<double>(n - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  // Expanded positions lo and lo + 1 of the weighted, sorted sample.
  std::size_t i = 0;
  std::int64_t end = items[0].weight;  // one past the last position item i covers
  while (end <= lo) end += items[++i].weight;
  const double below = items[i].value;
  if (frac == 0 || lo + 1 >= n) return below;
  if (end <= lo + 1) ++i;
  return below + frac * (items[i].value - below);
}

double QuantileSketch::quantile(double q) const { return quantile_of(sorted_items(), n_, q); }

std::vector<double> QuantileSketch::quantiles(std::span<const double> qs) const {
  const auto items = sorted_items();
  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) out.push_back(quantile_of(items, n_, q));
  return out;
}

std::int64_t QuantileSketch::rank(double y) const {
  std::int64_t r = 0;
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    for (double x : levels_[h]) {
      if (x <= y) r += std::int64_t{1} << h;
    }
  }
  return r;
}

double QuantileSketch::rank_error_limit(std::int64_t n, int k) {
  if (n <= k) return 0;
  const double ratio = static_cast<double>(n) / k;
  return ratio * (1 + std::log2(ratio));
}

void QuantileSketch::save(std::vector<double>& out) const {
  out.push_back(static_cast<double>(k_));
  out.push_back(static_cast<double>(n_));
  out.push_back(static_cast<double>(bound_));
  out.push_back(static_cast<double>(levels_.size()));
  for (std::size_t h = 0; h < levels_.size(); ++h) {
    out.push_back(static_cast<double>(compactions_[h]));
    out.push_back(static_cast<double>(levels_[h].size()));
    out.insert(out.end(), levels_[h].begin(), levels_[h].end());
  }
}

QuantileSketch QuantileSketch::load(std::span<const double> in, std::size_t& pos) {
  detail::Reader r(in, pos, "quantile sketch");
  const std::int64_t k = r.count();
  if (k < 8 || k % 2 != 0 || k > (std::int64_t{1} << 30)) r.fail("bad k");
  QuantileSketch s(static_cast<int>(k));
  s.n_ = r.count();
  s.bound_ = r.count();
  const std::int64_t levels = r.count();
  if (levels < 1 || levels > 53) r.fail("bad level count");
  s.levels_.assign(static_cast<std::size_t>(levels), {});
  s.compactions_.assign(static_cast<std::size_t>(levels), 0);
  std::int64_t weight = 0;
  for (std::size_t h = 0; h < s.levels_.size(); ++h) {
    s.compactions_[h] = static_cast<std::uint64_t>(r.count());
    const std::int64_t size = r.count();
    if (size > static_cast<std::int64_t>(in.size())) r.fail("bad level size");
    s.levels_[h].reserve(static_cast<std::size_t>(size));
    for (std::int64_t i = 0; i < size; ++i) {
      const double x = r.value();
      if (std::isnan(x)) r.fail("NaN item");
      s.levels_[h].push_back(x);
    }
    if (size > (std::numeric_limits<std::int64_t>::max() - weight) >> h) r.fail("weight overflow");
    weight += size << h;
  }
  if (weight != s.n_) r.fail("item weights do not add up to the count");
  pos = r.position();
  return s;
}

}  // namespace icn::stats
