#include "icn/exec/comm.h"

#include <cstdlib>
#include <deque>

#include "icn/core/error.h"
#include "icn/exec/detail/comm_mpi.h"

namespace icn::exec {

const char* tag_name(Tag tag) {
  switch (tag) {
    case Tag::kRequest: return "request";
    case Tag::kWork: return "work";
    case Tag::kStop: return "stop";
    case Tag::kResult: return "result";
    case Tag::kDone: return "done";
    case Tag::kInterrupt: return "interrupt";
  }
  return "unknown";
}

namespace {

/// One rank; a message sent to itself waits in a mailbox.
class SerialComm final : public Comm {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string name() const override { return "serial"; }

  void send(int dest, Tag tag, Bytes payload) override {
    if (dest != 0)
      throw RuntimeError("internal: serial communicator: send to rank " + std::to_string(dest));
    mailbox_.push_back(Message{0, tag, std::move(payload)});
  }
  std::optional<Message> poll() override {
    if (mailbox_.empty()) return std::nullopt;
    Message m = std::move(mailbox_.front());
    mailbox_.pop_front();
    return m;
  }
  std::optional<Message> wait(double) override {
    // With one rank nobody else can send: waiting on an empty mailbox would never end.
    if (auto m = poll()) return m;
    throw RuntimeError("internal: serial communicator: waiting for a message that cannot come");
  }
  void flush() override {}
  void broadcast(Bytes&, int root) override {
    if (root != 0)
      throw RuntimeError("internal: serial communicator: broadcast from rank " +
                         std::to_string(root));
  }
  void barrier() override {}
  [[noreturn]] void abort(int code) override { std::_Exit(code); }

 private:
  std::deque<Message> mailbox_;
};

}  // namespace

std::unique_ptr<Comm> make_serial_comm() { return std::make_unique<SerialComm>(); }

bool launched_by_mpi() {
  // Open MPI's mpirun, MPICH/Hydra and Slurm's srun (PMI-1/2, PMIx) each set one of these.
  for (const char* var :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "MPI_LOCALNRANKS"}) {
    if (std::getenv(var)) return true;
  }
  return false;
}

std::unique_ptr<Comm> make_world_comm() {
  if (launched_by_mpi()) {
    if (auto c = detail::make_mpi_world_comm()) return c;
  }
  return make_serial_comm();
}

}  // namespace icn::exec
