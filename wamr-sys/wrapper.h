/* The embedding API that wali binds to: WAMR's public header, and our own
 * shims compiled into WAMR's library (cmake/wali_shims.h says why). */
#include "wasm_export.h"
#include "cmake/wali_shims.h"
