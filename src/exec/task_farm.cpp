#include "icn/exec/task_farm.h"

#include <chrono>
#include <deque>
#include <vector>

#include "icn/core/clock.h"
#include "icn/core/error.h"
#include "icn/exec/detail/wire.h"

namespace icn::exec {
namespace {

using Clock = std::chrono::steady_clock;

Bytes encode_ids(std::span<const std::int64_t> ids) {
  detail::Writer w;
  w.put_span(ids);
  return w.take();
}

std::vector<std::int64_t> decode_ids(std::span<const std::byte> payload) {
  detail::Reader r(payload);
  return r.get_vector<std::int64_t>();
}

[[noreturn]] void protocol_error(const Comm& comm, const Message& m) {
  throw RuntimeError("internal: task farm: rank " + std::to_string(comm.rank()) +
                     " got unexpected '" + tag_name(m.tag) + "' from rank " +
                     std::to_string(m.source));
}

class Manager {
 public:
  Manager(Comm& comm, WorkQueue& queue, const FarmHooks& hooks, const FarmOptions& options)
      : comm_(comm), queue_(queue), hooks_(hooks), options_(options) {}

  FarmStats run() {
    const auto start = Clock::now();
    const Service service = [this] { this->service(); };
    const int n_workers = comm_.size() - 1;
    for (;;) {
      service();
      if (!queue_.empty() && !stopping()) {
        const std::vector<std::int64_t> batch = queue_.take(options_.min_batch_chunks);
        const double service_before = stats_.service_seconds;
        const auto t0 = Clock::now();
        const Bytes result = hooks_.execute(batch, service);
        stats_.busy_seconds += seconds_since(t0) - (stats_.service_seconds - service_before);
        ++stats_.batches;
        stats_.chunks += static_cast<std::int64_t>(batch.size());
        consume(0, result);
        continue;
      }
      if (workers_done_ == n_workers) break;
      const auto t0 = Clock::now();
      std::optional<Message> m = comm_.wait(0.2);
      stats_.idle_seconds += seconds_since(t0);
      if (m) handle(*m);
    }
    if (hooks_.tick) hooks_.tick();
    comm_.flush();
    stats_.wall_seconds = seconds_since(start);
    return stats_;
  }

 private:
  void service() {
    const auto t0 = Clock::now();
    while (std::optional<Message> m = comm_.poll()) handle(*m);
    if (hooks_.tick) hooks_.tick();
    stats_.service_seconds += seconds_since(t0);
  }

  void handle(const Message& m) {
    switch (m.tag) {
      case Tag::kRequest: {
        const std::vector<std::int64_t> batch =
            stopping() ? std::vector<std::int64_t>{} : queue_.take(options_.min_batch_chunks);
        if (batch.empty()) {
          comm_.send(m.source, Tag::kStop, {});
        } else {
          comm_.send(m.source, Tag::kWork, encode_ids(batch));
        }
        break;
      }
      case Tag::kResult: consume(m.source, m.payload); break;
      case Tag::kDone: ++workers_done_; break;
      case Tag::kInterrupt:
        if (hooks_.peer_stopped) hooks_.peer_stopped(m.source);
        break;
      default: protocol_error(comm_, m);
    }
  }

  bool stopping() const { return hooks_.stop && hooks_.stop(); }

  void consume(int rank, std::span<const std::byte> result) {
    if (hooks_.consume) hooks_.consume(rank, result);
  }

  Comm& comm_;
  WorkQueue& queue_;
  const FarmHooks& hooks_;
  const FarmOptions& options_;
  FarmStats stats_;
  int workers_done_ = 0;
};

FarmStats run_worker(Comm& comm, const FarmHooks& hooks) {
  const auto start = Clock::now();
  FarmStats stats;
  std::deque<std::vector<std::int64_t>> held;
  int in_flight = 0;  // requests not yet answered
  bool stopped = false;
  const auto request = [&] {
    comm.send(0, Tag::kRequest, {});
    ++in_flight;
  };
  const auto handle = [&](const Message& m) {
    if (m.source != 0) protocol_error(comm, m);
    if (m.tag == Tag::kWork) {
      held.push_back(decode_ids(m.payload));
    } else if (m.tag == Tag::kStop) {
      stopped = true;
    } else {
      protocol_error(comm, m);
    }
    --in_flight;
  };
  const Service no_service = [] {};

  bool told_manager = false;
  const auto check_stop = [&] {
    if (told_manager || !hooks.stop || !hooks.stop()) return;
    stopped = true;  // ask for nothing more; answers to requests in flight still come
    comm.send(0, Tag::kInterrupt, {});
    told_manager = true;
  };

  request();
  for (;;) {
    while (std::optional<Message> m = comm.poll()) handle(*m);
    check_stop();
    if (held.empty()) {
      if (in_flight == 0) break;  // stopped, nothing held, nothing asked for
      const auto t0 = Clock::now();
      std::optional<Message> m = comm.wait(3600.0);
      stats.idle_seconds += seconds_since(t0);
      if (m) handle(*m);
      continue;
    }
    std::vector<std::int64_t> batch = std::move(held.front());
    held.pop_front();
    // Ask for the next batch before computing this one, so the answer is there when needed.
    if (!stopped && held.empty() && in_flight == 0) request();
    const auto t0 = Clock::now();
    Bytes result = hooks.execute(batch, no_service);
    stats.busy_seconds += seconds_since(t0);
    ++stats.batches;
    stats.chunks += static_cast<std::int64_t>(batch.size());
    comm.send(0, Tag::kResult, std::move(result));
  }
  comm.send(0, Tag::kDone, {});
  comm.flush();
  stats.wall_seconds = seconds_since(start);
  return stats;
}

}  // namespace

FarmStats run_task_farm(Comm& comm, WorkQueue* queue, const FarmHooks& hooks,
                        const FarmOptions& options) {
  if (comm.rank() != 0) return run_worker(comm, hooks);
  if (!queue) throw RuntimeError("internal: task farm: rank 0 needs the work queue");
  Manager manager(comm, *queue, hooks, options);
  return manager.run();
}

}  // namespace icn::exec
