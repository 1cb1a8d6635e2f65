#include "icn/exec/chunk_plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "icn/core/error.h"

namespace icn::exec {

ChunkPlan::ChunkPlan(std::int64_t n_points, std::int64_t replicates, std::int64_t chunk_size)
    : n_points_(n_points), replicates_(replicates), chunk_size_(chunk_size) {
  if (n_points < 1)
    throw InputError("a sweep needs at least one design point (got " + std::to_string(n_points) +
                     ")");
  if (replicates < 1) throw InputError("key 'ensemble.replicates': must be at least 1");
  if (chunk_size < 1) throw InputError("key 'ensemble.chunk': must be at least 1");
  chunks_per_point_ = (replicates + chunk_size - 1) / chunk_size;
}

Chunk ChunkPlan::chunk(std::int64_t id) const {
  if (id < 0 || id >= n_chunks())
    throw RuntimeError("internal: chunk id " + std::to_string(id) + " out of range");
  Chunk c;
  c.id = id;
  c.point = id / chunks_per_point_;
  c.index = id % chunks_per_point_;
  c.first_replicate = c.index * chunk_size_;
  c.n_replicates = std::min(chunk_size_, replicates_ - c.first_replicate);
  return c;
}

std::vector<std::int64_t> ChunkPlan::dispatch_order(std::span<const double> point_cost) const {
  if (static_cast<std::int64_t>(point_cost.size()) != n_points_) {
    throw RuntimeError("internal: dispatch_order: one cost per point expected");
  }
  std::vector<std::int64_t> points(static_cast<std::size_t>(n_points_));
  std::iota(points.begin(), points.end(), 0);
  std::stable_sort(points.begin(), points.end(), [&](std::int64_t a, std::int64_t b) {
    return point_cost[static_cast<std::size_t>(a)] > point_cost[static_cast<std::size_t>(b)];
  });
  std::vector<std::int64_t> order;
  order.reserve(static_cast<std::size_t>(n_chunks()));
  for (const std::int64_t p : points) {
    for (std::int64_t k = 0; k < chunks_per_point_; ++k) order.push_back(p * chunks_per_point_ + k);
  }
  return order;
}

WorkQueue::WorkQueue(const ChunkPlan& plan, std::span<const double> point_cost, int n_ranks,
                     std::int64_t max_batch_chunks)
    : order_(plan.dispatch_order(point_cost)),
      n_ranks_(std::max(1, n_ranks)),
      max_batch_(std::max<std::int64_t>(1, max_batch_chunks)) {
  cost_.reserve(order_.size());
  for (const std::int64_t id : order_) {
    const Chunk c = plan.chunk(id);
    // A cost that is not a positive number still counts as some work.
    const double pc = point_cost[static_cast<std::size_t>(c.point)];
    cost_.push_back((std::isfinite(pc) && pc > 0 ? pc : 1.0) * static_cast<double>(c.n_replicates));
    remaining_cost_ += cost_.back();
  }
}

std::vector<std::int64_t> WorkQueue::take(std::int64_t min_chunks) {
  std::vector<std::int64_t> batch;
  const double target = remaining_cost_ / (2.0 * n_ranks_);
  double cost = 0;
  while (next_ < order_.size() && static_cast<std::int64_t>(batch.size()) < max_batch_) {
    if (static_cast<std::int64_t>(batch.size()) >= std::max<std::int64_t>(1, min_chunks) &&
        cost >= target)
      break;
    batch.push_back(order_[next_]);
    cost += cost_[next_];
    ++next_;
  }
  remaining_cost_ = std::max(0.0, remaining_cost_ - cost);
  return batch;
}

void WorkQueue::remove_if(const std::function<bool(std::int64_t chunk_id)>& done) {
  std::vector<std::int64_t> order;
  std::vector<double> cost;
  remaining_cost_ = 0;
  for (std::size_t i = next_; i < order_.size(); ++i) {
    if (done(order_[i])) continue;
    order.push_back(order_[i]);
    cost.push_back(cost_[i]);
    remaining_cost_ += cost_[i];
  }
  order_ = std::move(order);
  cost_ = std::move(cost);
  next_ = 0;
}

}  // namespace icn::exec
