// Throughput of the random numbers (include/icn/core/rng.h): Philox4x32-10 blocks and the
// distributions on top of them, in draws per second (`items`). Two access patterns:
// long streams (many draws from one stream) and the model's pattern, a fresh stream per
// (actor, tick, stage) with a few draws each.
//
//   build/bench/bench_rng --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "icn/core/rng.h"

namespace {

using icn::rng::Key;
using icn::rng::Stage;
using icn::rng::Stream;

constexpr std::int64_t kDraws = 1 << 16;  // per iteration

void set_items(benchmark::State& state, std::int64_t per_iteration) {
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * per_iteration), benchmark::Counter::kIsRate);
}

// The raw block function: 4 words per call.
void BM_RngPhiloxBlock(benchmark::State& state) {
  std::array<std::uint32_t, 4> ctr{0, 1, 2, 3};
  const std::array<std::uint32_t, 2> key{0x12345678u, 0x9abcdef0u};
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kDraws; ++i) {
      ctr[0] = static_cast<std::uint32_t>(i);
      benchmark::DoNotOptimize(icn::rng::philox4x32_10(ctr, key));
    }
  }
  set_items(state, kDraws);
}
BENCHMARK(BM_RngPhiloxBlock);

template <typename Draw>
void long_stream(benchmark::State& state, Draw draw) {
  Stream s(Key::from_seed(42), 1, Stage::kTest, 0);
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kDraws; ++i) benchmark::DoNotOptimize(draw(s));
  }
  set_items(state, kDraws);
}

void BM_RngU32(benchmark::State& state) {
  long_stream(state, [](Stream& s) { return s.next_u32(); });
}
BENCHMARK(BM_RngU32);

void BM_RngUniform(benchmark::State& state) {
  long_stream(state, [](Stream& s) { return icn::rng::uniform(s); });
}
BENCHMARK(BM_RngUniform);

void BM_RngNormal(benchmark::State& state) {
  long_stream(state, [](Stream& s) { return icn::rng::normal(s); });
}
BENCHMARK(BM_RngNormal);

// Poisson at a small mean (inversion regime) and a large one.
void BM_RngPoisson(benchmark::State& state) {
  const double mean = static_cast<double>(state.range(0));
  long_stream(state, [mean](Stream& s) { return icn::rng::poisson(s, mean); });
}
BENCHMARK(BM_RngPoisson)->ArgName("mean")->Arg(3)->Arg(100);

// Uniform integers below n: a power of two and a bound with a large rejection share.
void BM_RngBelow(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  long_stream(state, [n](Stream& s) { return icn::rng::below(s, n); });
}
BENCHMARK(BM_RngBelow)->ArgName("n")->Arg(1024)->Arg(3000000000LL);

// The model's pattern: a stream per actor (and tick, stage), `range(0)` uniforms each.
void BM_RngStreamPerActor(benchmark::State& state) {
  const Key key = Key::from_seed(42);
  const auto per_actor = static_cast<int>(state.range(0));
  const std::int64_t actors = kDraws / per_actor;
  for (auto _ : state) {
    for (std::int64_t a = 0; a < actors; ++a) {
      Stream s(key, 3, Stage::kExchange, static_cast<std::uint32_t>(a));
      for (int i = 0; i < per_actor; ++i) benchmark::DoNotOptimize(icn::rng::uniform(s));
    }
  }
  set_items(state, actors * per_actor);
}
BENCHMARK(BM_RngStreamPerActor)->ArgName("draws")->Arg(1)->Arg(4)->Arg(16);

}  // namespace

BENCHMARK_MAIN();
