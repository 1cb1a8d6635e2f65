#include "icn/core/version.h"

#include <Random123/features/compilerfeatures.h>
#include <toml++/toml.h>
#include <Eigen/Core>

#include <sstream>

#include "icn/exec/mpi_info.h"
#include "icn/exec/openmp.h"
#include "icn/io/hdf5.h"

namespace icn {

std::string version_report() {
  std::ostringstream out;
  out << "icnsim " << build::kVersion << "\n"
      << "git sha:   " << build::kGitSha << "\n"
      << "compiler:  " << build::kCompiler << " (" << build::kBuildType << ")\n"
      << "MPI:       " << exec::mpi_library_version() << "\n"
      << "HDF5:      " << io::h5::library_version() << "\n"
      << "OpenMP:    " << exec::openmp_version() << "\n"
      << "Eigen:     " << EIGEN_WORLD_VERSION << "." << EIGEN_MAJOR_VERSION << "."
      << EIGEN_MINOR_VERSION << "\n"
      << "toml++:    " << TOML_LIB_MAJOR << "." << TOML_LIB_MINOR << "." << TOML_LIB_PATCH << "\n"
      << "Random123: philox4x32-10\n";
  return out.str();
}

}  // namespace icn
