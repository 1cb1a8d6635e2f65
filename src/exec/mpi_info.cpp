#include "icn/exec/mpi_info.h"

#ifdef ICN_HAVE_MPI
#include <mpi.h>
#endif

namespace icn::exec {

std::string mpi_library_version() {
#ifdef ICN_HAVE_MPI
  char buf[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(buf, &len);  // allowed before MPI_Init (MPI 3.0)
  std::string v(buf, static_cast<std::size_t>(len));
  const auto nl = v.find_first_of("\n,");
  return nl == std::string::npos ? v : v.substr(0, nl);
#else
  return "none";
#endif
}

}  // namespace icn::exec
