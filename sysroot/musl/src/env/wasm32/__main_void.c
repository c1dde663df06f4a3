/* clang names `int main(int, char **)` __main_argc_argv on wasm32 and
 * `int main(void)` __main_void; _start calls __main_void, which a program
 * with a main(void) defines itself. */
#include "wali_aux.h"

int __main_argc_argv(int, char **);

int __main_void(void)
{
	return __main_argc_argv(__wali_argc, __wali_argv);
}
