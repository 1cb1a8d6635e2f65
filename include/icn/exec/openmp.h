#pragma once
// The OpenMP seam: the only place that includes omp.h. Without OpenMP everything
// reports one thread and the pragmas elsewhere are ignored by the compiler.
namespace icn::exec {

/// Threads an OpenMP parallel region would use by default (OMP_NUM_THREADS).
int max_threads();
/// This thread's number inside a parallel region (0 outside).
int thread_id();
/// Threads in the current team (1 outside a parallel region).
int team_size();
/// Whether the program was built with OpenMP.
bool openmp_enabled();
/// OpenMP version as "YYYYMM", or "none".
const char* openmp_version();

}  // namespace icn::exec
