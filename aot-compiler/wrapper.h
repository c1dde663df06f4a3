/* What the wamrc front end binds to: WAMR's public embedding and AoT
 * compilation headers, nothing internal. */
#include <stdbool.h>
#include <stdint.h>
#include "wasm_export.h"
#include "aot_export.h"
