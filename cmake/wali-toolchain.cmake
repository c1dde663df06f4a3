# CMake toolchain file for WALI programs: C (and assembler) compiled and
# linked by wali-cc into .wasm modules that iwasm runs.
#   cmake -DCMAKE_TOOLCHAIN_FILE=PREFIX/share/wali/cmake/wali-toolchain.cmake ..
# Installed (make install) it finds PREFIX/bin/wali-cc and PREFIX/bin/iwasm;
# in the source tree (cmake/wali-toolchain.cmake) ./wali-cc and ./iwasm.
# WALI programs are Linux programs (UNIX and LINUX are set), for wasm32,
# static only: there are no shared libraries.

get_filename_component(_wali_here "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
if(EXISTS "${_wali_here}/../../../bin/wali-cc")
  get_filename_component(_wali_bin "${_wali_here}/../../../bin" ABSOLUTE)
elseif(EXISTS "${_wali_here}/../wali-cc")
  get_filename_component(_wali_bin "${_wali_here}/.." ABSOLUTE)
else()
  message(FATAL_ERROR "wali-toolchain.cmake: no wali-cc next to ${_wali_here}")
endif()

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(CMAKE_C_COMPILER "${_wali_bin}/wali-cc")
set(CMAKE_ASM_COMPILER "${_wali_bin}/wali-cc")
set(CMAKE_C_COMPILER_TARGET wasm32)
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(CMAKE_EXECUTABLE_SUFFIX_C ".wasm")
# Archives of wasm objects: LLVM's tools (GNU ar cannot index wasm objects).
find_program(CMAKE_AR NAMES llvm-ar-19 llvm-ar REQUIRED)
find_program(CMAKE_RANLIB NAMES llvm-ranlib-19 llvm-ranlib REQUIRED)

# Where find_library/find_path look: the libc's sysroot only; programs are
# the build machine's.
execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-sysroot
  OUTPUT_VARIABLE WALI_SYSROOT OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CMAKE_FIND_ROOT_PATH "${WALI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# try_run, add_test and ctest run the modules with iwasm.
if(EXISTS "${_wali_bin}/iwasm")
  set(CMAKE_CROSSCOMPILING_EMULATOR "${_wali_bin}/iwasm")
endif()

set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
set(BUILD_SHARED_LIBS OFF CACHE BOOL "WALI has no shared libraries")
