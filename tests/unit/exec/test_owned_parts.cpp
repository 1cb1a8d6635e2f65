#include "icn/exec/owned_parts.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace {

using icn::exec::OwnedParts;
using icn::exec::range_of;

constexpr std::uint32_t kUnvisited = 0xFFFFFFFFu;

// Which member visited each slot, and how often any slot was visited.
struct Visits {
  explicit Visits(std::uint32_t n) : by(n, kUnvisited), count(n) {}
  void note(std::uint32_t s) {
    by[s] = static_cast<std::uint32_t>(icn::exec::thread_id());
    count[s].fetch_add(1, std::memory_order_relaxed);
  }
  std::vector<std::uint32_t> by;
  std::vector<std::atomic<int>> count;
};

Visits run_team(std::uint32_t n, int threads, std::uint32_t chunk) {
  Visits v(n);
  OwnedParts parts(n, threads, chunk);
#pragma omp parallel num_threads(threads)
  parts.run([&](std::uint32_t s) { v.note(s); });
  return v;
}

// Every slot is visited exactly once, whatever the sizes of the team, the slots and the
// chunks (parts shorter than a chunk, empty parts, a last chunk cut short).
TEST(OwnedParts, VisitsEverySlotOnce) {
  for (std::uint32_t n : {0u, 1u, 5u, 255u, 256u, 257u, 10'000u, 100'003u}) {
    for (int threads : {1, 2, 3, 4}) {
      for (std::uint32_t chunk : {1u, 7u, 256u}) {
        const Visits v = run_team(n, threads, chunk);
        for (std::uint32_t s = 0; s < n; ++s) {
          ASSERT_EQ(v.count[s].load(), 1)
              << "slot " << s << " of " << n << ", " << threads << " threads, chunk " << chunk;
        }
      }
    }
  }
}

// Runs a loop in which member 0 waits inside its first slot until another member has
// visited a slot of its part - which happens only if idle members take work from busy
// ones (after 20 s it goes on, and `helped` stays false instead of the test hanging).
Visits run_with_a_slow_owner(std::uint32_t n, int threads, std::uint32_t chunk, bool& helped) {
  Visits v(n);
  const auto part0 = range_of(n, 0, static_cast<std::uint32_t>(threads));
  std::atomic<bool> help{false};
  OwnedParts parts(n, threads, chunk);
#pragma omp parallel num_threads(threads)
  parts.run([&](std::uint32_t s) {
    v.note(s);
    const bool mine = icn::exec::thread_id() == 0;
    if (s < part0.end && !mine) help = true;
    if (s != part0.begin || !mine) return;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!help && std::chrono::steady_clock::now() < until) {
    }
  });
  helped = help;
  return v;
}

// A member goes through its own part from the front and others take from the back: of
// each part, the owner visited a prefix and the others the rest.
TEST(OwnedParts, OwnersTakeTheFrontAndOthersTheBack) {
  const std::uint32_t n = 50'000;
  for (int threads : {2, 3, 4}) {
    bool helped = false;
    const Visits v = run_with_a_slow_owner(n, threads, 16, helped);
    if (icn::exec::openmp_enabled()) {
      ASSERT_TRUE(helped) << threads << " threads";
    }
    const auto team = static_cast<std::uint32_t>(threads);
    for (std::uint32_t t = 0; t < team; ++t) {
      const auto r = range_of(n, t, team);
      std::uint32_t s = r.begin;
      while (s < r.end && v.by[s] == t) ++s;
      for (; s < r.end; ++s) {
        ASSERT_NE(v.by[s], t) << "slot " << s << " of member " << t << "'s part, " << threads
                              << " threads: the owner visited it after another member had";
      }
    }
  }
}

// A member that is still busy with its part gets help.
TEST(OwnedParts, IdleMembersTakeFromABusyOne) {
  for (int threads : {2, 4}) {
    bool helped = false;
    const Visits v = run_with_a_slow_owner(4'000, threads, 8, helped);
    if (icn::exec::openmp_enabled()) {
      EXPECT_TRUE(helped) << threads << " threads: nobody took work from member 0";
    }
    for (std::uint32_t s = 0; s < 4'000; ++s) ASSERT_EQ(v.count[s].load(), 1);
  }
}

// Outside a parallel region, or on a team other than the planned one, one caller visits
// every slot, in order.
TEST(OwnedParts, OneVisitorOutsideItsTeam) {
  OwnedParts parts(1'000, 3, 10);
  std::vector<std::uint32_t> seen;
  parts.run([&](std::uint32_t s) { seen.push_back(s); });
  ASSERT_EQ(seen.size(), 1'000u);
  for (std::uint32_t s = 0; s < 1'000; ++s) EXPECT_EQ(seen[s], s);
  // Planned for three, run by two (as when OpenMP gives fewer threads): member 0 alone.
  OwnedParts fewer(1'000, 3, 10);
  std::vector<std::uint32_t> order;
  std::atomic<int> others{0};
#pragma omp parallel num_threads(2)
  fewer.run([&](std::uint32_t s) {
    if (icn::exec::thread_id() == 0) {
      order.push_back(s);
    } else {
      ++others;
    }
  });
  EXPECT_EQ(others.load(), 0);
  ASSERT_EQ(order.size(), 1'000u);
  for (std::uint32_t s = 0; s < 1'000; ++s) EXPECT_EQ(order[s], s);
}

TEST(OwnedParts, ForOwnedSlotsVisitsEachOnce) {
  for (int threads : {1, 2, 4}) {
    std::vector<std::atomic<int>> count(30'001);
    icn::exec::for_owned_slots(
        30'001, threads, [&](std::uint32_t s) { ++count[s]; }, 64);
    for (const auto& c : count) ASSERT_EQ(c.load(), 1) << threads << " threads";
  }
}

}  // namespace
