#include "icn/exec/openmp.h"

#ifdef ICN_HAVE_OPENMP
#include <omp.h>
#endif

#include <string>

namespace icn::exec {

#ifdef ICN_HAVE_OPENMP
int max_threads() { return omp_get_max_threads(); }
int thread_id() { return omp_get_thread_num(); }
int team_size() { return omp_get_num_threads(); }
bool openmp_enabled() { return true; }
const char* openmp_version() {
  static const std::string v = std::to_string(_OPENMP);
  return v.c_str();
}
#else
int max_threads() { return 1; }
int thread_id() { return 0; }
int team_size() { return 1; }
bool openmp_enabled() { return false; }
const char* openmp_version() { return "none"; }
#endif

}  // namespace icn::exec
