#include "icn/model/cluster/kene.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace icn::model::cluster {

namespace {

// x mod m for x >= 0, m > 0, in [0, m): cheaper than std::fmod and as deterministic.
double mod_positive(double x, double m) {
  // Truncation is floor for x / m >= 0 (and, unlike std::floor without SSE4.1, inline).
  double r = x - m * static_cast<double>(static_cast<std::int64_t>(x / m));
  if (r >= m) r -= m;
  if (r < 0) r += m;
  return r;
}

double sum_ca(std::span<const Triple> ts) {
  double sum = 0;
  for (const Triple& t : ts) sum += static_cast<double>(t.cap) * t.a;
  return sum;
}

}  // namespace

int product_of(std::span<const Triple> ih, const ProductSpace& ps) {
  if (ih.empty()) return -1;
  const double range = ps.n - ps.n_raw;
  return static_cast<int>(mod_positive(sum_ca(ih), range)) + ps.n_raw;
}

int input_of(std::span<const Triple> chunk, const ProductSpace& ps) {
  return static_cast<int>(mod_positive(sum_ca(chunk), static_cast<double>(ps.n)));
}

double quality_of(std::span<const Triple> ih) {
  // 1 - exp(-e) for the 256 possible expertise values, computed once.
  static const auto kWeight = [] {
    std::array<double, 256> w{};
    for (std::size_t e = 0; e < w.size(); ++e) w[e] = 1.0 - std::exp(-static_cast<double>(e));
    return w;
  }();
  double sum = 0;
  for (const Triple& t : ih) sum += t.a * kWeight[t.e];
  return mod_positive(sum, 10.0);
}

int add_random_capabilities(State& st, std::uint32_t s, int first, int size, int count,
                            rng::Stream& rs) {
  int present = 0;
  for (const Triple& t : st.kene(s)) present += (t.cap >= first && t.cap < first + size);
  count = std::min(count, size - present);
  int added = 0;
  for (int k = 0; k < count && !st.kene_full(s); ++k) {
    int cap = 0;
    do {
      cap = first + static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(size)));
    } while (st.kene_find(s, cap) >= 0);
    const double a = rng::uniform(rs, 0.0, 10.0);
    const int e = static_cast<int>(rng::integer(rs, 1, 10));
    st.kene_append(s, cap, a, e, 0);
    ++added;
  }
  return added;
}

void fill_initial_kene(State& st, std::uint32_t s, int theme, int n_rare, int rare_theme,
                       const Settings& set, rng::Stream& rs) {
  const CapabilityLayout& L = set.caps;
  const int cap = st.kene_cap[s];
  const int n_sector = cap / 2;
  n_rare = std::min(n_rare, cap - n_sector);
  add_random_capabilities(st, s, L.sector_cap(theme, 0), L.sector, n_sector, rs);
  add_random_capabilities(st, s, L.rare_cap(rare_theme, 0), L.rare, n_rare, rs);
  add_random_capabilities(st, s, L.common_cap(theme, 0), L.common, cap - st.kene_len[s], rs);
  // Small themes: whatever is left comes from the whole theme.
  add_random_capabilities(st, s, L.sector_cap(theme, 0), L.theme_size(), cap - st.kene_len[s], rs);
}

void draw_ih(State& st, std::uint32_t s, const Settings& set, rng::Stream& rs) {
  const int len = st.kene_len[s];
  const int hi = std::min<int>(static_cast<int>(set.p.ih_max), len);
  std::array<std::uint32_t, kMaxIh> tids{};
  IhShape shape;
  if (hi < set.p.ih_min) {
    st.set_ih(s, {}, shape);
    return;
  }
  const int size = static_cast<int>(rng::integer(rs, set.p.ih_min, hi));
  // Partial Fisher-Yates over kene positions, then kene order.
  std::array<std::uint8_t, 256> pos{};
  for (int i = 0; i < len; ++i) pos[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  for (int i = 0; i < size; ++i) {
    const int j = i + static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(len - i)));
    std::swap(pos[static_cast<std::size_t>(i)], pos[static_cast<std::size_t>(j)]);
  }
  std::sort(pos.begin(), pos.begin() + size);
  const auto kene = st.kene(s);
  std::array<Triple, kMaxIh> ih{};
  for (int i = 0; i < size; ++i) {
    ih[static_cast<std::size_t>(i)] = kene[pos[static_cast<std::size_t>(i)]];
    tids[static_cast<std::size_t>(i)] = ih[static_cast<std::size_t>(i)].tid;
  }
  const std::span<const Triple> ih_span(ih.data(), static_cast<std::size_t>(size));
  const int product = product_of(ih_span, set.products);
  const int n_in =
      static_cast<int>(rng::integer(rs, 1, std::min<std::int64_t>(set.p.max_inputs, size)));
  std::array<int, kMaxInputs> chosen{};
  int tries = 0;
  while (shape.n_inputs < n_in && tries < 10 * n_in) {
    const int b = static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(size)));
    const int e = b + static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(size - b)));
    const int in =
        input_of(ih_span.subspan(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b + 1)),
                 set.products);
    const bool dup = std::find(chosen.begin(), chosen.begin() + shape.n_inputs, in) !=
                     chosen.begin() + shape.n_inputs;
    if (in == product || dup) {
      ++tries;
      continue;
    }
    chosen[shape.n_inputs] = in;
    shape.begin[shape.n_inputs] = static_cast<std::uint8_t>(b);
    shape.end[shape.n_inputs] = static_cast<std::uint8_t>(e);
    ++shape.n_inputs;
  }
  if (shape.n_inputs < n_in) shape.n_inputs = 0;  // SKIN's "impossible input"
  st.set_ih(s, std::span<const std::uint32_t>(tids.data(), static_cast<std::size_t>(size)), shape);
}

bool manufacture(State& st, std::uint32_t s, const Settings& set) {
  std::array<Triple, kMaxIh> ih;
  const int n = st.gather_ih(s, ih);
  const std::span<const Triple> ih_span(ih.data(), static_cast<std::size_t>(n));
  st.quality[s] = quality_of(ih_span);
  if (!st.dirty[s]) return false;
  const int product = product_of(ih_span, set.products);
  const bool changed = product != st.product[s];
  st.product[s] = static_cast<std::int16_t>(product);
  st.dirty[s] = 0;
  const IhShape& sh = st.shape[s];
  std::array<std::int16_t, kMaxInputs> in{};
  in.fill(-1);
  bool ok = n >= 2 && sh.n_inputs > 0;
  bool any_made = false;  // an input that is not a raw material
  for (int k = 0; ok && k < sh.n_inputs; ++k) {
    const int b = sh.begin[static_cast<std::size_t>(k)];
    const int e = sh.end[static_cast<std::size_t>(k)];
    if (b > e || e >= n) {
      ok = false;
      break;
    }
    const int v =
        input_of(ih_span.subspan(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b + 1)),
                 set.products);
    if (v == product || std::find(in.begin(), in.begin() + k, v) != in.begin() + k) ok = false;
    in[static_cast<std::size_t>(k)] = static_cast<std::int16_t>(v);
    any_made = any_made || !set.products.is_raw(v);
  }
  if (ok && set.products.is_end_user(product) && !any_made) ok = false;
  st.inputs[s] = in;
  st.n_inputs[s] = ok ? sh.n_inputs : 0;
  return changed;
}

double initial_price(int product, const Settings& set, rng::Stream& rs) {
  if (product >= 0 && set.products.is_end_user(product)) return set.p.final_price;
  return rng::uniform(rs, set.p.price_min, set.p.price_max);
}

}  // namespace icn::model::cluster
