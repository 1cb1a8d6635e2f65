#pragma once
// Loops over a model's slots that keep each slot on the same thread from loop to loop.
//
// A tick is a chain of loops over the same slots, each reading what the one before
// wrote. On this project's test machine a thread that reads what the other core wrote
// pays for it: a loop over 150 MB whose two halves swap threads every pass ran 30-60 %
// slower than one whose halves stay put (in some hours; not at all in others), and
// dynamically scheduled chunks of 256 were slower than one thread (docs/performance.md,
// "Fourteenth session"). Equal static halves keep the
// data where it was written but leave one thread waiting: the work per slot is far from
// uniform along the slots (exec::kSlotChunk). So each member of the team owns the
// contiguous part of the slots that a static schedule would give it (range_of), works
// through it from the front in chunks, and when it is done takes chunks from the back
// of the parts of the others: every slot is visited once, nearly all of them by their
// owner, and nobody waits longer than one chunk's work.
//
// The order in which slots are visited is unspecified, as with any OpenMP schedule:
// bodies must write only what belongs to their slot (the model's stages do).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

#include "icn/exec/openmp.h"

namespace icn::exec {

class OwnedParts {
 public:
  /// Parts of the slots 0..n-1 for a team of `threads`, handed out `chunk` slots at a
  /// time. Built before the parallel region; every member then calls run().
  OwnedParts(std::uint32_t n, int threads, std::uint32_t chunk = kSlotChunk)
      : chunk_(std::max<std::uint32_t>(1, chunk)),
        parts_(static_cast<std::size_t>(std::max(1, threads))) {
    const auto team = static_cast<std::uint32_t>(parts_.size());
    for (std::uint32_t t = 0; t < team; ++t) {
      const Range r = range_of(n, t, team);
      parts_[t].value = pack(r.begin, r.end);
    }
  }

  /// Calls body(slot) for the slots this member owns and then for those it takes from
  /// others; called by every member of the team (or outside a parallel region, where it
  /// visits every slot in order).
  template <class Body>
  void run(Body&& body) {
    const Member m = team_member();
    if (m.team != parts_.size()) {  // a team other than the planned one: one visitor only
      if (m.me == 0) all(body);
      return;
    }
    if (m.team == 1) return all(body);
    while (auto c = claim(m.me, true)) visit(c, body);
    for (std::uint32_t k = 1; k < m.team; ++k) {
      const std::uint32_t other = (m.me + k) % m.team;
      while (auto c = claim(other, false)) visit(c, body);
    }
  }

 private:
  struct Claim {
    std::uint32_t begin = 0, end = 0;
    explicit operator bool() const { return begin < end; }
  };
  static std::uint64_t pack(std::uint32_t front, std::uint32_t back) {
    return (std::uint64_t{front} << 32) | back;
  }
  template <class Body>
  static void visit(Claim c, Body& body) {
    for (std::uint32_t s = c.begin; s < c.end; ++s) body(s);
  }
  template <class Body>
  void all(Body& body) {
    for (const auto& p : parts_)
      visit({static_cast<std::uint32_t>(p.value >> 32), static_cast<std::uint32_t>(p.value)}, body);
  }
  /// The next chunk of part `t`: from its front for the owner, from its back for others;
  /// an empty claim once the part is used up.
  Claim claim(std::uint32_t t, bool owner) {
    std::atomic_ref<std::uint64_t> part(parts_[t].value);
    std::uint64_t v = part.load(std::memory_order_relaxed);
    for (;;) {
      const auto front = static_cast<std::uint32_t>(v >> 32), back = static_cast<std::uint32_t>(v);
      if (front >= back) return {};
      const std::uint32_t take = std::min(chunk_, back - front);
      const Claim c = owner ? Claim{front, front + take} : Claim{back - take, back};
      const std::uint64_t next = owner ? pack(front + take, back) : pack(front, back - take);
      if (part.compare_exchange_weak(v, next, std::memory_order_relaxed)) return c;
    }
  }

  std::uint32_t chunk_;
  std::vector<Padded<std::uint64_t>> parts_;  ///< per member: front << 32 | back
};

/// A loop over the slots 0..n-1 on a team of `threads` (a parallel region of its own),
/// each slot on its owner's thread where the work allows (OwnedParts).
template <class Body>
void for_owned_slots(std::uint32_t n, int threads, Body&& body, std::uint32_t chunk = kSlotChunk) {
  if (threads <= 1) {
    for (std::uint32_t s = 0; s < n; ++s) body(s);
    return;
  }
  OwnedParts parts(n, threads, chunk);
#pragma omp parallel num_threads(threads)
  parts.run(body);
}

}  // namespace icn::exec
