#pragma once
// The MPI implementation of Comm, reached only through make_world_comm().
#include <memory>

#include "icn/exec/comm.h"

namespace icn::exec::detail {

/// MPI's world communicator (initialising MPI if needed), or nullptr when the program
/// was built without MPI.
std::unique_ptr<Comm> make_mpi_world_comm();

}  // namespace icn::exec::detail
