#!/usr/bin/env python3
"""Wall-clock milliseconds from a QEMU's start to the shell's first prompt.

    boot-wall.py [--log FILE] [--timeout SECONDS] -- QEMU ARGS...

Starts QEMU (its serial line on stdout), reads what the guest prints, and
stops the clock at the first "# " at the start of a line after the UNIX
server has started init (emul: started /bin/init): the shell's prompt.
Prints the milliseconds and kills QEMU; exits 1 if no prompt came.  Part
of tests/boot/boot-bench.sh (make bench).
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\r")
STARTED = b"emul: started /bin/init"
PROMPT = re.compile(rb"\n# ")


def prompted(output):
    """Whether output (escapes and CRs taken out) shows the prompt."""
    text = ESCAPES.sub(b"", output)
    at = text.find(STARTED)
    return at >= 0 and PROMPT.search(text, at) is not None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", default=os.devnull)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("qemu", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.qemu[1:] if args.qemu[:1] == ["--"] else args.qemu
    output = b""
    start = time.monotonic()
    qemu = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    elapsed = None
    try:
        while time.monotonic() - start < args.timeout:
            ready, _, _ = select.select([qemu.stdout], [], [], 0.5)
            if not ready:
                continue
            chunk = os.read(qemu.stdout.fileno(), 65536)
            if not chunk:
                break
            output += chunk
            if prompted(output):
                elapsed = time.monotonic() - start
                break
    finally:
        qemu.send_signal(signal.SIGKILL)
        qemu.wait()
        with open(args.log, "wb") as log:
            log.write(output)
    if elapsed is None:
        print("boot-wall: no prompt", file=sys.stderr)
        return 1
    print(round(elapsed * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
