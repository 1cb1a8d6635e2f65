#pragma once
// A test-only Comm: N ranks as threads of one process with in-memory mailboxes, so the
// task farm and the sweep can be tested at any rank count without mpirun.
#include <barrier>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "icn/exec/comm.h"

namespace icn::exec::testing {

class LocalWorld {
 public:
  explicit LocalWorld(int n) : boxes_(static_cast<std::size_t>(n)), sync_(n) {}

  /// Runs body(comm) on every rank, each in its own thread; rethrows the first exception.
  template <class Body>
  void run(Body body) {
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(boxes_.size());
    for (int r = 0; r < static_cast<int>(boxes_.size()); ++r) {
      threads.emplace_back([&, r] {
        Rank comm(*this, r);
        try {
          body(static_cast<Comm&>(comm));
        } catch (...) {
          errors[static_cast<std::size_t>(r)] = std::current_exception();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }

 private:
  struct Box {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Message> messages;
  };

  class Rank final : public Comm {
   public:
    Rank(LocalWorld& w, int rank) : w_(w), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return static_cast<int>(w_.boxes_.size()); }
    std::string name() const override { return "local"; }
    void send(int dest, Tag tag, Bytes payload) override {
      Box& b = w_.boxes_.at(static_cast<std::size_t>(dest));
      {
        std::lock_guard lock(b.mutex);
        b.messages.push_back(Message{rank_, tag, std::move(payload)});
      }
      b.ready.notify_all();
    }
    std::optional<Message> poll() override {
      Box& b = box();
      std::lock_guard lock(b.mutex);
      return pop(b);
    }
    std::optional<Message> wait(double timeout_seconds) override {
      Box& b = box();
      std::unique_lock lock(b.mutex);
      b.ready.wait_for(lock, std::chrono::duration<double>(timeout_seconds),
                       [&] { return !b.messages.empty(); });
      return pop(b);
    }
    void flush() override {}
    void broadcast(Bytes& data, int root) override {
      if (rank_ == root) w_.shared_ = data;
      w_.sync_.arrive_and_wait();
      if (rank_ != root) data = w_.shared_;
      w_.sync_.arrive_and_wait();
    }
    void barrier() override { w_.sync_.arrive_and_wait(); }
    [[noreturn]] void abort(int) override { std::abort(); }

   private:
    Box& box() { return w_.boxes_[static_cast<std::size_t>(rank_)]; }
    static std::optional<Message> pop(Box& b) {
      if (b.messages.empty()) return std::nullopt;
      Message m = std::move(b.messages.front());
      b.messages.pop_front();
      return m;
    }
    LocalWorld& w_;
    int rank_;
  };

  std::vector<Box> boxes_;
  std::barrier<> sync_;
  Bytes shared_;
};

}  // namespace icn::exec::testing
