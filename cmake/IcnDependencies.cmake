# Every dependency comes from a Debian package, found here and wrapped in one
# interface target (icn_deps); nothing is downloaded.
add_library(icn_deps INTERFACE)

find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
target_link_libraries(icn_deps INTERFACE Eigen3::Eigen tomlplusplus::tomlplusplus CLI11::CLI11)

# Random123 is header-only and ships no CMake config.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
target_include_directories(icn_deps SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

if(ICN_OPENMP)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
  target_link_libraries(icn_deps INTERFACE OpenMP::OpenMP_CXX)
  target_compile_definitions(icn_deps INTERFACE ICN_HAVE_OPENMP=1)
endif()

if(ICN_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
  target_link_libraries(icn_deps INTERFACE MPI::MPI_CXX)
  target_compile_definitions(icn_deps INTERFACE ICN_HAVE_MPI=1)
  set(HDF5_PREFER_PARALLEL TRUE)
endif()

# Debian's parallel HDF5 (libhdf5-openmpi-dev); FindHDF5 uses the h5pcc wrapper.
find_package(HDF5 REQUIRED COMPONENTS C)
add_library(icn_hdf5 INTERFACE)
target_include_directories(icn_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(icn_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
target_compile_definitions(icn_hdf5 INTERFACE ${HDF5_C_DEFINITIONS} H5_USE_110_API)
if(HDF5_IS_PARALLEL)
  target_compile_definitions(icn_hdf5 INTERFACE ICN_HDF5_PARALLEL=1)
endif()
target_link_libraries(icn_deps INTERFACE icn_hdf5)
message(STATUS "icnsim: HDF5 ${HDF5_VERSION} parallel=${HDF5_IS_PARALLEL} MPI=${ICN_MPI} OpenMP=${ICN_OPENMP}")
