# GDB's extension for Pagoda (docs/debugging.md), loaded with
#   source scripts/gdb/pagoda.py
# by make debug and the tests.  It adds the `pagoda` commands (help
# pagoda) and loads the current user task's symbols at every stop, from
# the build directory ($PAGODA_BUILD, else build/ beside scripts/).
import os
import sys

import gdb

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _here)
sys.dont_write_bytecode = True    # nothing generated beside the sources
import pagoda_gdb  # noqa: E402

_build = os.environ.get("PAGODA_BUILD") or os.path.join(os.path.dirname(os.path.dirname(_here)),
                                                        "build")
pagoda_gdb.register(_build)
# Boot modules first (servers, emul, the guest tests), then the disk's programs.
gdb.execute("set pagoda-symbol-path " + ":".join(
    os.path.join(_build, d) for d in ("servers", "emul", "tests/guest", "bin", "tests")),
    to_string=True)
