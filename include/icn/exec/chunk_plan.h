#pragma once
// How a sweep's tasks (point, replicate) are cut into chunks and handed out.
//
// A chunk is a run of consecutive replicates of one point, of a size fixed by the
// configuration (never by the number of ranks or threads). It is the unit of scheduling
// and of aggregation: whoever runs a chunk aggregates it in replicate order, and the
// manager merges a point's chunk aggregates in chunk order. So the statistics depend only
// on the chunk size, not on who ran what or when; and a completed chunk is the natural
// unit of a checkpoint.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace icn::exec {

struct Chunk {
  std::int64_t id = 0;  ///< global id: point * chunks_per_point + index
  std::int64_t point = 0;
  std::int64_t index = 0;  ///< position among its point's chunks
  std::int64_t first_replicate = 0;
  std::int64_t n_replicates = 0;
};

class ChunkPlan {
 public:
  /// Throws InputError unless n_points, replicates and chunk_size are all >= 1.
  ChunkPlan(std::int64_t n_points, std::int64_t replicates, std::int64_t chunk_size);

  std::int64_t n_points() const { return n_points_; }
  std::int64_t replicates() const { return replicates_; }
  std::int64_t chunk_size() const { return chunk_size_; }
  std::int64_t chunks_per_point() const { return chunks_per_point_; }
  std::int64_t n_chunks() const { return n_points_ * chunks_per_point_; }
  std::int64_t n_tasks() const { return n_points_ * replicates_; }

  Chunk chunk(std::int64_t id) const;
  /// Row of task (point, replicate) in point-major order (the /runs row order).
  std::int64_t task_index(std::int64_t point, std::int64_t replicate) const {
    return point * replicates_ + replicate;
  }

  /// Chunk ids in dispatch order: points by descending expected cost (ties by point
  /// index), each point's chunks consecutive and in order, so that few points are ever
  /// partly merged and the longest tasks start first.
  std::vector<std::int64_t> dispatch_order(std::span<const double> point_cost) const;

 private:
  std::int64_t n_points_;
  std::int64_t replicates_;
  std::int64_t chunk_size_;
  std::int64_t chunks_per_point_;
};

/// The manager's queue of chunks. Batches are consecutive runs of the dispatch order,
/// sized by guided self-scheduling on expected cost: a batch takes chunks until their
/// cost reaches the remaining cost / (2 × ranks), so early batches are large (few
/// messages) and late ones small (no rank waits on another's long batch at the end).
class WorkQueue {
 public:
  WorkQueue(const ChunkPlan& plan, std::span<const double> point_cost, int n_ranks,
            std::int64_t max_batch_chunks);

  bool empty() const { return next_ == order_.size(); }
  std::int64_t remaining_chunks() const { return static_cast<std::int64_t>(order_.size() - next_); }

  /// The next batch: at least `min_chunks` chunks (fewer only when fewer remain), at most
  /// max_batch_chunks; empty when the queue is empty.
  std::vector<std::int64_t> take(std::int64_t min_chunks);

  /// Removes the chunks for which `done(id)` is true (a resume's finished chunks); the
  /// others keep their dispatch order.
  void remove_if(const std::function<bool(std::int64_t chunk_id)>& done);

 private:
  std::vector<std::int64_t> order_;
  std::vector<double> cost_;  // expected cost of order_[i]
  std::size_t next_ = 0;
  double remaining_cost_ = 0;
  int n_ranks_;
  std::int64_t max_batch_;
};

}  // namespace icn::exec
