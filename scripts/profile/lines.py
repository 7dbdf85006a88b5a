#!/usr/bin/env python3
"""lines.py TRACE FROM TO: the kernel's source lines for steps FROM..TO of
the trace, with the instructions spent on each (user steps as 'user')."""
import subprocess
import sys

KERNEL = "build/kernel/pagoda.elf"


def main():
    pcs = [int(line, 16) for line in open(sys.argv[1])][int(sys.argv[2]):int(sys.argv[3])]
    kernel_pcs = sorted({pc for pc in pcs if pc >> 63})
    out = subprocess.run(["addr2line", "-f", "-e", KERNEL] + ["%x" % pc for pc in kernel_pcs],
                         capture_output=True, text=True).stdout.splitlines()
    where = {pc: "%s %s" % (out[2 * i], out[2 * i + 1].split("/")[-1].split(" ")[0])
             for i, pc in enumerate(kernel_pcs)}
    runs = []
    for pc in pcs:
        key = where.get(pc, "user")
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            runs.append([key, 1])
    for key, count in runs:
        print("%4d %s" % (count, key))


main()
