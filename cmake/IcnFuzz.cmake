# Fuzz harnesses (fuzz/). They always build: with ICN_FUZZ=ON (clang only) everything is
# instrumented for libFuzzer's coverage feedback, together with ASan and UBSan, and the
# harnesses link libFuzzer's main(); otherwise each harness links the deterministic
# mutation driver (fuzz/mutation_driver.cpp), so the fuzz tests run with any compiler.
option(ICN_FUZZ "Build the fuzz harnesses with libFuzzer and ASan+UBSan (clang only)" OFF)
if(ICN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ICN_FUZZ=ON needs clang: configure with -DCMAKE_C_COMPILER=clang-14 "
      "-DCMAKE_CXX_COMPILER=clang++-14. Without it the harnesses use the built-in mutation driver.")
  endif()
  # fuzzer-no-link instruments the library; the sanitizers' runtime supplies the coverage
  # callbacks for the programs that are not fuzz targets (icnsim, icn_unit).
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(NOT ICN_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
  endif()
endif()
