"""GDB's view of Pagoda: commands that show the kernel's objects, and the
symbols of user tasks (docs/debugging.md)."""

from . import commands, symbols, unwind


def register(build):
    symbols.register()
    unwind.register()
    commands.register(build)
