# Stamps the program version, git sha and build facts into generated/version.cpp
# at configure time (re-run on each build so the sha follows the checkout).
find_package(Git QUIET)
set(ICN_VERSION_IN ${CMAKE_CURRENT_LIST_DIR}/version.cpp.in)
set(ICN_VERSION_OUT ${CMAKE_CURRENT_BINARY_DIR}/generated/version.cpp)
add_custom_target(icn_version_stamp
  COMMAND ${CMAKE_COMMAND}
    -DSRC_DIR=${CMAKE_CURRENT_SOURCE_DIR} -DIN=${ICN_VERSION_IN} -DOUT=${ICN_VERSION_OUT}
    -DGIT=${GIT_EXECUTABLE} -DVERSION=${PROJECT_VERSION}
    "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    -P ${CMAKE_CURRENT_LIST_DIR}/StampVersion.cmake
  BYPRODUCTS ${ICN_VERSION_OUT}
  COMMENT "Stamping version" VERBATIM)
execute_process(COMMAND ${CMAKE_COMMAND}
  -DSRC_DIR=${CMAKE_CURRENT_SOURCE_DIR} -DIN=${ICN_VERSION_IN} -DOUT=${ICN_VERSION_OUT}
  -DGIT=${GIT_EXECUTABLE} -DVERSION=${PROJECT_VERSION}
  "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
  -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
  -P ${CMAKE_CURRENT_LIST_DIR}/StampVersion.cmake)
