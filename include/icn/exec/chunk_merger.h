#pragma once
// The reorder buffer of the ensemble statistics: chunk aggregates arrive in any order
// (from any rank, whenever they finish) and are merged per point strictly in chunk order,
// so a point's statistics are the same bits whatever the rank count, thread count or
// completion order. Chunks that arrive early wait in a per-point buffer; a point leaves
// the merger (and its memory is freed) as soon as its last chunk is merged.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "icn/core/error.h"
#include "icn/exec/chunk_plan.h"

namespace icn::exec {

template <class Aggregate>
class ChunkMerger {
 public:
  /// merge(into, from): folds `from` (the next chunk in order) into `into`.
  using Merge = std::function<void(Aggregate& into, Aggregate&& from)>;
  /// Receives a point's merged aggregate once all its chunks are in.
  using OnPoint = std::function<void(std::int64_t point, Aggregate&& merged)>;

  ChunkMerger(const ChunkPlan& plan, Merge merge, OnPoint on_point)
      : plan_(plan), merge_(std::move(merge)), on_point_(std::move(on_point)) {}

  /// Takes the aggregate of chunk `id`; throws RuntimeError for a chunk seen twice.
  void add(std::int64_t id, Aggregate aggregate) {
    const Chunk c = plan_.chunk(id);
    Open& open = open_[c.point];
    if (c.index < open.next || open.early.count(c.index)) {
      throw RuntimeError("internal: chunk " + std::to_string(id) + " (point " +
                         std::to_string(c.point) + ") arrived twice");
    }
    if (c.index != open.next) {
      open.early.emplace(c.index, std::move(aggregate));
      ++buffered_;
      return;
    }
    take(open, std::move(aggregate));
    for (auto it = open.early.begin(); it != open.early.end() && it->first == open.next;
         it = open.early.erase(it)) {
      --buffered_;
      take(open, std::move(it->second));
    }
    if (open.next == plan_.chunks_per_point()) {
      Aggregate merged = std::move(open.merged);
      open_.erase(c.point);
      ++points_done_;
      on_point_(c.point, std::move(merged));
    }
  }

  /// Counts `point` as merged without its chunks: its statistics were restored from a
  /// checkpoint. Throws RuntimeError if chunks of it were added.
  void restore_point(std::int64_t point) {
    if (open_.count(point)) {
      throw RuntimeError("internal: point " + std::to_string(point) + " restored after its chunks");
    }
    ++points_done_;
  }

  std::int64_t points_done() const { return points_done_; }
  /// Points with some but not all chunks merged.
  std::size_t open_points() const { return open_.size(); }
  /// Chunks waiting for an earlier chunk of their point.
  std::size_t buffered_chunks() const { return buffered_; }
  bool complete() const { return points_done_ == plan_.n_points(); }

 private:
  struct Open {
    std::int64_t next = 0;  // index of the next chunk to merge
    Aggregate merged{};
    std::map<std::int64_t, Aggregate> early;  // ordered: drained from the front
  };

  void take(Open& open, Aggregate&& a) {
    if (open.next == 0) {
      open.merged = std::move(a);
    } else {
      merge_(open.merged, std::move(a));
    }
    ++open.next;
  }

  const ChunkPlan& plan_;
  Merge merge_;
  OnPoint on_point_;
  std::unordered_map<std::int64_t, Open> open_;
  std::int64_t points_done_ = 0;
  std::size_t buffered_ = 0;
};

}  // namespace icn::exec
