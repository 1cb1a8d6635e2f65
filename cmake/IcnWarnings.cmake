# Warnings and sanitizers live in interface targets so every target opts in the same way.
add_library(icn_warnings INTERFACE)
target_compile_options(icn_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false overlaps inside std::string at -O3 (GCC bug 105651); Clang has
  # no such option and would warn about an unknown one.
  target_compile_options(icn_warnings INTERFACE -Wno-restrict)
endif()
if(ICN_WERROR)
  target_compile_options(icn_warnings INTERFACE -Werror)
endif()

if(ICN_SANITIZE AND ICN_SANITIZE_THREAD)
  message(FATAL_ERROR "ICN_SANITIZE (ASan + UBSan) and ICN_SANITIZE_THREAD (TSan) cannot be combined")
endif()
if(ICN_SANITIZE_THREAD)
  # Data races (scripts/tsan.sh). With LLVM's libomp, its Archer tool (OMP_TOOL_LIBRARIES)
  # tells TSan about OpenMP's own barriers and tasks; GCC's libgomp is not instrumented.
  add_compile_options(-fsanitize=thread)
  add_link_options(-fsanitize=thread)
endif()
if(ICN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # The sanitizers' instrumentation confuses GCC 12's flow analysis: false "may be used
    # uninitialized" in std::variant/std::string moves. The plain build keeps the warning.
    target_compile_options(icn_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
