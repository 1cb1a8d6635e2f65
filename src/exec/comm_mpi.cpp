#include "icn/exec/detail/comm_mpi.h"

#ifdef ICN_HAVE_MPI

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <list>
#include <thread>

#include "icn/core/error.h"

namespace icn::exec::detail {
namespace {

/// Every MPI call is checked; a failure names the call and this rank.
class MpiComm final : public Comm {
 public:
  MpiComm() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      // Funneled: OpenMP threads compute, only the thread that made the Comm talks.
      if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        throw RuntimeError("MPI: MPI_Init_thread failed");
      }
      owns_mpi_ = true;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    check(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
    check(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }

  ~MpiComm() override {
    // Best effort: a destructor must not throw, and after an error MPI may be unusable.
    for (auto& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
    pending_.clear();
    if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (owns_mpi_ && !finalised) MPI_Finalize();
  }

  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string name() const override { return "mpi"; }

  void send(int dest, Tag tag, Bytes payload) override {
    reap_sends();
    if (payload.size() > static_cast<std::size_t>(INT_MAX)) {
      throw RuntimeError("MPI: rank " + std::to_string(rank_) + ": message '" + tag_name(tag) +
                         "' of " + std::to_string(payload.size()) +
                         " bytes exceeds 2 GiB (use smaller chunks)");
    }
    pending_.push_back(Pending{std::move(payload), MPI_REQUEST_NULL});
    Pending& p = pending_.back();
    check(MPI_Isend(p.buffer.data(), static_cast<int>(p.buffer.size()), MPI_BYTE, dest,
                    static_cast<int>(tag), comm_, &p.request),
          std::string("MPI_Isend of '") + tag_name(tag) + "' to rank " + std::to_string(dest));
  }

  std::optional<Message> poll() override {
    reap_sends();
    int flag = 0;
    MPI_Status st;
    check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &flag, &st), "MPI_Iprobe");
    if (!flag) return std::nullopt;
    int count = 0;
    check(MPI_Get_count(&st, MPI_BYTE, &count), "MPI_Get_count");
    Message m{st.MPI_SOURCE, static_cast<Tag>(st.MPI_TAG), Bytes(static_cast<std::size_t>(count))};
    check(MPI_Recv(m.payload.data(), count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, comm_,
                   MPI_STATUS_IGNORE),
          "MPI_Recv from rank " + std::to_string(st.MPI_SOURCE));
    return m;
  }

  std::optional<Message> wait(double timeout_seconds) override {
    // Probe with a growing pause (up to 1 ms): a blocking MPI_Recv busy-polls in Open MPI,
    // which would steal a core from the OpenMP threads of an oversubscribed node.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
    auto pause = std::chrono::microseconds(0);
    for (;;) {
      if (auto m = poll()) return m;
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      if (pause.count() == 0) {
        std::this_thread::yield();
        pause = std::chrono::microseconds(10);
      } else {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(1000));
      }
    }
  }

  void flush() override {
    for (auto& p : pending_) check(MPI_Wait(&p.request, MPI_STATUS_IGNORE), "MPI_Wait");
    pending_.clear();
  }

  void broadcast(Bytes& data, int root) override {
    unsigned long long n = data.size();
    check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, comm_), "MPI_Bcast (size)");
    if (n > static_cast<unsigned long long>(INT_MAX))
      throw RuntimeError("MPI: broadcast of more than 2 GiB");
    data.resize(static_cast<std::size_t>(n));
    if (n > 0)
      check(MPI_Bcast(data.data(), static_cast<int>(n), MPI_BYTE, root, comm_), "MPI_Bcast");
  }

  void barrier() override { check(MPI_Barrier(comm_), "MPI_Barrier"); }

  [[noreturn]] void abort(int code) override {
    MPI_Abort(comm_ == MPI_COMM_NULL ? MPI_COMM_WORLD : comm_, code);
    std::_Exit(code);
  }

 private:
  struct Pending {
    Bytes buffer;  // must outlive the MPI_Isend
    MPI_Request request;
  };

  void check(int rc, const std::string& what) const {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw RuntimeError("MPI: rank " + std::to_string(rank_) + ": " + what + ": " +
                       std::string(text, static_cast<std::size_t>(len)));
  }

  void reap_sends() {
    for (auto it = pending_.begin(); it != pending_.end();) {
      int done = 0;
      check(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
      it = done ? pending_.erase(it) : std::next(it);
    }
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  bool owns_mpi_ = false;
  std::list<Pending> pending_;  // a list: buffers never move while MPI holds them
};

}  // namespace

std::unique_ptr<Comm> make_mpi_world_comm() { return std::make_unique<MpiComm>(); }

}  // namespace icn::exec::detail

#else

namespace icn::exec::detail {
std::unique_ptr<Comm> make_mpi_world_comm() { return nullptr; }
}  // namespace icn::exec::detail

#endif
