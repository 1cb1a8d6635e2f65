#pragma once
// The communicator seam: the ensemble driver talks to other ranks only through this
// interface. A serial implementation (one rank) always exists; the MPI one exists when
// the program is built with MPI. Orchestration code never includes mpi.h nor tests for
// MPI with #ifdef; it asks make_world_comm() for whatever fits how it was launched.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace icn::exec {

using Bytes = std::vector<std::byte>;

/// Message kinds of the task farm (also the MPI tags). Values are part of the wire
/// protocol between ranks of one job only, never stored in files.
enum class Tag : int {
  kRequest = 1,    ///< worker -> manager: send me one more batch
  kWork = 2,       ///< manager -> worker: a batch of chunk ids
  kStop = 3,       ///< manager -> worker: no work left (answers one request)
  kResult = 4,     ///< worker -> manager: results of one batch
  kDone = 5,       ///< worker -> manager: all my results are sent; I send nothing more
  kInterrupt = 6,  ///< worker -> manager: I was told to stop (signal, deadline); stop all
};

const char* tag_name(Tag tag);

struct Message {
  int source = 0;
  Tag tag = Tag::kRequest;
  Bytes payload;
};

/// Point-to-point messages between the ranks of one job, in send order per pair of ranks.
class Comm {
 public:
  virtual ~Comm() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// "serial" or "mpi".
  virtual std::string name() const = 0;

  /// Queues `payload` for `dest` and returns without waiting for the receiver; messages
  /// from one rank to another arrive in the order they were sent.
  virtual void send(int dest, Tag tag, Bytes payload) = 0;
  /// The next message addressed to this rank, from any rank, if one has arrived.
  virtual std::optional<Message> poll() = 0;
  /// Waits up to `timeout_seconds` for the next message; backs off (sleeps) instead of
  /// spinning a core. Nullopt on timeout.
  virtual std::optional<Message> wait(double timeout_seconds) = 0;
  /// Waits until every message this rank sent has left its buffers.
  virtual void flush() = 0;

  /// Collective: `data` of rank `root` replaces `data` on every rank.
  virtual void broadcast(Bytes& data, int root) = 0;
  /// Collective: returns once every rank has called it.
  virtual void barrier() = 0;
  /// Ends the whole job (all ranks) with `code`; used when one rank cannot go on.
  [[noreturn]] virtual void abort(int code) = 0;
};

/// A single rank: sends to itself are delivered to its own poll()/wait().
std::unique_ptr<Comm> make_serial_comm();

/// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI).
bool launched_by_mpi();

/// The communicator of this job: MPI's world when built with MPI and launched by an MPI
/// launcher, else serial. Initialises MPI (thread level "funneled": only the thread
/// that created the Comm calls it) and finalises it when destroyed.
std::unique_ptr<Comm> make_world_comm();

}  // namespace icn::exec
