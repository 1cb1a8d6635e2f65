# Precompiled headers for the standard library (parsing <chrono>, <iostream>, <filesystem>
# ... is a large share of a short translation unit's compile time). Off by default: with
# GCC 12, code inlined from a precompiled <string> is no longer treated as system-header
# code, and -O3 then reports the known false -Wstringop-overflow / -Warray-bounds inside
# char_traits (GCC bug 105651's family), which -Werror turns into failures. The sanitizer
# stage of scripts/test.sh (no -Werror) turns it on.
option(ICN_PCH "Precompile the common standard headers (faster builds)" OFF)

set(ICN_PCH_STD_HEADERS
  <algorithm> <array> <chrono> <cmath> <cstdint> <cstdio> <cstdlib> <cstring>
  <filesystem> <fstream> <functional> <iostream> <limits> <map> <memory> <numeric>
  <optional> <set> <span> <sstream> <string> <string_view> <utility> <vector>)

# icn_precompile(target [extra headers...]): the standard set plus the target's own.
function(icn_precompile target)
  if(ICN_PCH)
    target_precompile_headers(${target} PRIVATE ${ICN_PCH_STD_HEADERS} ${ARGN})
  endif()
endfunction()
