#pragma once
// Facts about the MPI library, callable without initialising MPI.
#include <string>

namespace icn::exec {
/// The MPI library's own version string (first line), or "none" without MPI.
std::string mpi_library_version();
}  // namespace icn::exec
