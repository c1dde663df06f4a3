/* The embedding API that wali binds to: nothing beyond WAMR's public header. */
#include "wasm_export.h"
