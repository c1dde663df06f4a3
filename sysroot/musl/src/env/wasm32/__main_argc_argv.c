/* `int main(int argc, char **argv, char **envp)`: clang keeps the name
 * `main` for it on wasm32 (only the two-argument form becomes
 * __main_argc_argv), so _start, which reaches main through __main_void and
 * __main_argc_argv, would not find it. This weak __main_argc_argv, in its
 * own archive member, is linked only when the program defines no
 * two-argument main, and passes the environment as the third argument, as
 * the Linux start-up does. (Bash's `main` has this form.) */
int main(int, char **, char **);
extern char **__environ;

__attribute__((weak)) int __main_argc_argv(int argc, char **argv)
{
	return main(argc, argv, __environ);
}
