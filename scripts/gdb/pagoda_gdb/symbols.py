"""The symbols of user tasks.

Every user program is linked at the same address (-Ttext-segment=0x400000,
libc/libc.mk), so besides the kernel's GDB holds the symbols of one
program at a time: those of the task whose thread is current when the
guest stops, found by the task's name -- its boot module's, or its
program's (emul's exec calls task_set_name) -- among the ELF files under
the directories of `pagoda-symbol-path`.  `pagoda symbols TASK` loads
another task's; `$pagoda_task()` is the current task's name, for
breakpoint conditions (a breakpoint at a user address stops every task
that runs that address).
"""

import os

import gdb

from . import kernel as K


class SymbolPath(gdb.Parameter):
    """Directories (separated by ':') searched, in order, for the ELF file of
    a user task: a file named as the task is."""

    set_doc = "Set the directories searched for user tasks' programs."
    show_doc = "Show the directories searched for user tasks' programs."

    def __init__(self):
        super().__init__("pagoda-symbol-path", gdb.COMMAND_FILES, gdb.PARAM_STRING)
        self.value = ""

    def get_set_string(self):
        Symbols.index = None
        return "pagoda-symbol-path is now '%s'" % self.value

    def get_show_string(self, value):
        return "pagoda-symbol-path is '%s'" % value


class AutoSymbols(gdb.Parameter):
    """Whether the current task's symbols are loaded whenever the guest stops."""

    set_doc = "Set whether each stop loads the current task's symbols."
    show_doc = "Show whether each stop loads the current task's symbols."

    def __init__(self):
        super().__init__("pagoda-auto-symbols", gdb.COMMAND_FILES, gdb.PARAM_BOOLEAN)
        self.value = True


def _is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


class Symbols:
    index = None      # task name -> path of its program
    loaded = None     # the user program whose symbols GDB holds

    @classmethod
    def programs(cls):
        if cls.index is None:
            cls.index = {}
            path = gdb.parameter("pagoda-symbol-path") or ""
            for top in [d for d in path.split(":") if d]:
                for root, dirs, files in os.walk(top):
                    dirs.sort()
                    for name in sorted(files):
                        full = os.path.join(root, name)
                        if name not in cls.index and os.access(full, os.X_OK) and _is_elf(full):
                            cls.index[name] = full
        return cls.index

    @classmethod
    def load(cls, task, quiet=False):
        """Loads TASK's program's symbols in place of the last user
        program's; returns its path, or None if it has none."""
        name = K.label(task)
        path = cls.programs().get(name)
        if path is None or path == cls.loaded:
            return path
        confirm = gdb.parameter("confirm")
        gdb.execute("set confirm off")
        try:
            if cls.loaded is not None:
                gdb.execute("remove-symbol-file %s" % cls.loaded, to_string=True)
                cls.loaded = None
            gdb.execute("add-symbol-file %s" % path, to_string=True)
            cls.loaded = path
        finally:
            gdb.execute("set confirm %s" % ("on" if confirm else "off"))
        if not quiet:
            print("pagoda: symbols of %s from %s" % (K.task_desc(task), path))
        return path

    @classmethod
    def loaded_for(cls, task):
        """Whether the user symbols GDB holds are TASK's program's."""
        return cls.loaded is not None and cls.programs().get(K.label(task)) == cls.loaded


def on_stop(event):
    if not gdb.parameter("pagoda-auto-symbols"):
        return
    try:
        task = K.current_task()
        if task is not None and int(task["name"]) != int(gdb.parse_and_eval("kernel_task.name")):
            Symbols.load(task)
    except gdb.MemoryError:
        pass     # stopped before the kernel's memory is mapped (at reset)
    except gdb.error as e:
        print("pagoda: no user symbols loaded: %s" % e)


class TaskFunction(gdb.Function):
    """$pagoda_task() is the name of the task whose thread is current:
    hbreak fault_serve if $_streq($pagoda_task(), "faultpager")."""

    def __init__(self):
        super().__init__("pagoda_task")

    def invoke(self):
        task = K.current_task()
        return K.label(task) if task is not None else ""


def register():
    SymbolPath()
    AutoSymbols()
    TaskFunction()
    gdb.events.stop.connect(on_stop)
