# GDB's half of run.sh: the break, then one pc per step into PROF_OUT.
import os

import gdb

gdb.execute("set pagination off")
bp = gdb.Breakpoint(os.environ["PROF_FUNC"])
bp.ignore_count = int(os.environ.get("PROF_IGNORE", "0"))
gdb.execute("continue")
bp.delete()
with open(os.environ["PROF_OUT"], "w") as out:
    for _ in range(int(os.environ.get("PROF_STEPS", "2000"))):
        out.write("%x\n" % (int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff))
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
