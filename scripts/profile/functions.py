#!/usr/bin/env python3
"""functions.py TRACE USER_ELF: the trace's functions in order, each with
its step number and the instructions spent in it before the next."""
import bisect
import subprocess
import sys

KERNEL = "build/kernel/pagoda.elf"


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True).stdout
    table = [(int(p[0], 16), p[2]) for p in (line.split() for line in out.splitlines())
             if len(p) == 3 and p[1] in "tTwW"]
    return [a for a, _ in table], [n for _, n in table]


def main():
    kernel, user = symbols(KERNEL), symbols(sys.argv[2])
    runs = []
    for line in open(sys.argv[1]):
        pc = int(line, 16)
        addresses, names = kernel if pc >> 63 else user
        i = bisect.bisect_right(addresses, pc) - 1
        name = names[i] if i >= 0 else "?"
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    step = 0
    for name, count in runs:
        print("%6d %5d %s" % (step, count, name))
        step += count


main()
