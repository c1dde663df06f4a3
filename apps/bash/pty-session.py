#!/usr/bin/env python3
"""An interactive bash session over a pseudo-terminal, as a person types it.

    python3 apps/bash/pty-session.py SHELL... -- HELLO_WASM CAT_WASM

SHELL... is the command that starts the shell (the native bash, or iwasm
with the WALI bash). The session checks readline editing (typing, backspace,
enter), job control (`sleep 5 &`, `jobs`, Ctrl-Z on a foreground `sleep`,
`fg`, Ctrl-C) and bash running WALI programs by path (HELLO_WASM, and
CAT_WASM in a pipeline; `-` `-` to skip, for a native shell), then `exit`. Each step waits for its expected text;
the first that does not come within its time fails the session (exit 1,
with the transcript). Prints "ok" and exits 0 when every step passed.
"""
import os
import pty
import re
import select
import signal
import sys
import time

PROMPT = "WALI$ "


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    shell, (hello, cat) = argv[:sep], argv[sep + 1:]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "dumb",
        "PS1": PROMPT,
        "LANG": "C",
    }
    pid, fd = pty.fork()
    if pid == 0:
        # The child is a session leader with the pty as controlling terminal
        # (pty.fork does setsid and TIOCSCTTY): bash turns job control on.
        os.execvpe(shell[0], shell + ["--norc", "--noprofile", "-i"], env)
    transcript = []
    pending = [""]  # read but not yet matched

    def read_until(pattern, timeout=60):
        """Reads the pty until `pattern` (a regex) shows in what was read;
        consumes the text up to the end of the match."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, pending[0], re.S)
            if m:
                got, pending[0] = pending[0][: m.end()], pending[0][m.end():]
                return got
            if time.time() >= deadline:
                break
            r, _, _ = select.select([fd], [], [], 0.2)
            if fd in r:
                try:
                    data = os.read(fd, 4096).decode("utf-8", "replace")
                except OSError:
                    data = ""
                if not data:
                    break
                pending[0] += data
                transcript.append(data)
        fail(f"expected /{pattern}/, got {pending[0]!r}")

    def fail(msg):
        print(f"FAIL: {msg}\n--- transcript ---\n{''.join(transcript)}")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        sys.exit(1)

    def send(s):
        os.write(fd, s.encode())

    def step(keys, pattern, timeout=60):
        send(keys)
        return read_until(pattern, timeout)

    read_until(re.escape(PROMPT))
    # Readline: typing, backspace (DEL, the terminal's erase), enter.
    step("echo abx\x7fc d\x7f\x7fZZ\r", r"\nabcZZ\r?\n")
    read_until(re.escape(PROMPT))
    # Line editing beyond the tail: Ctrl-A moves to the start of the line.
    step("cho moved\x01e\r", r"\nmoved\r?\n")
    read_until(re.escape(PROMPT))
    # A background job, listed by `jobs`.
    step("sleep 5 &\r", r"\[1\] \d+")
    read_until(re.escape(PROMPT))
    step("jobs\r", r"\[1\]\+\s+Running\s+sleep 5 &")
    read_until(re.escape(PROMPT))
    # Ctrl-Z stops the foreground job and gives the prompt back.
    step("sleep 30\r", r"sleep 30\r?\n")
    time.sleep(1.0)
    step("\x1a", r"Stopped\s+sleep 30")
    read_until(re.escape(PROMPT))
    step("jobs\r", r"Stopped\s+sleep 30")
    read_until(re.escape(PROMPT))
    # fg resumes it in the foreground; Ctrl-C ends it (status 130).
    step("fg\r", r"sleep 30\r?\n")
    time.sleep(1.0)
    send("\x03")
    read_until(re.escape(PROMPT))
    step("echo status=$?\r", r"status=130")
    read_until(re.escape(PROMPT))
    # Ctrl-C at the prompt abandons the line being typed.
    step("echo never\x03", re.escape(PROMPT))
    step("echo after\r", r"\r?\nafter\r?\n")
    read_until(re.escape(PROMPT))
    # WALI programs run by path, alone and in a pipeline with redirections
    # (`-` for a native shell: the kernel cannot run a module by itself).
    if hello != "-":
        step(f"{hello} from-bash\r", r"hello, from-bash")
        read_until(re.escape(PROMPT))
        step(f"echo piped | {cat} | {cat} > /dev/stdout; echo rc=$?\r", r"piped\r?\nrc=0")
        read_until(re.escape(PROMPT))
    # The background job has ended by now: bash reports it on a prompt.
    time.sleep(max(0.0, 5.5))
    step("jobs; echo listed\r", r"listed")
    read_until(re.escape(PROMPT))
    send("exit\r")
    # Exit: the pty closes; bash's status is 0.
    deadline = time.time() + 30
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        r, _, _ = select.select([fd], [], [], 0.2)
        if fd in r:
            try:
                transcript.append(os.read(fd, 4096).decode("utf-8", "replace"))
            except OSError:
                pass
    else:
        fail("the shell did not exit")
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        fail(f"exit status {status:#x}")
    print("ok")


if __name__ == "__main__":
    main()
