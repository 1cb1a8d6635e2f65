# Script mode: writes OUT from IN, touching it only when the content changes.
set(GIT_SHA "unknown")
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SRC_DIR} rev-parse --short=12 HEAD
    OUTPUT_VARIABLE sha RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    set(GIT_SHA ${sha})
    execute_process(COMMAND ${GIT} -C ${SRC_DIR} status --porcelain --untracked-files=no
      OUTPUT_VARIABLE dirty ERROR_QUIET)
    if(dirty)
      set(GIT_SHA "${GIT_SHA}-dirty")
    endif()
  endif()
endif()
string(REPLACE "\"" "" COMPILER "${COMPILER}")
configure_file(${IN} ${OUT}.tmp @ONLY)
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
