"""Backtraces through the kernel's entry code, and of threads not running.

The entry code (kernel/arch/x86_64/trap_entry.S) has no unwinding
information: a backtrace of the running thread stopped there, or wandered
off into the stack.  TrapUnwinder knows its frames: each entry saved the
interrupted registers in a struct trap_frame (trap.h) and calls C with
the frame at a known distance from its stack pointer, so the caller of
an entry frame is whatever the trap interrupted -- the user program (its
symbols, if they are the ones loaded, name its frames) or kernel code.

A thread that is not running was switched out by switch_context, which
left its callee-saved registers on its kernel stack (pcb.ksp); the
kernel keeps frame pointers, so kernel_stack walks its frames from there.
"""

import gdb
import gdb.unwinder

from . import kernel as K

# (first label, next label, distance from the stack pointer to the trap
# frame after the call) for the calls the entry code makes.
_REGIONS = (("trap_common", "user_iret", 16),     # call trap_dispatch, after 2 pushes
            ("trap_user_work", "syscall_entry", 0),
            ("syscall_entry", "switch_context", 0))
_SAVED = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12",
          "r13", "r14", "r15")


class _FrameId:
    """What create_unwind_info takes (GDB 14 has gdb.unwinder.FrameId)."""

    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def _address(symbol):
    return int(gdb.parse_and_eval("(unsigned long)&%s" % symbol))


class TrapUnwinder(gdb.unwinder.Unwinder):
    def __init__(self):
        super().__init__("pagoda-trap")
        self.regions = None

    def _trap_frame(self, pc, sp):
        if self.regions is None:
            self.regions = [(_address(a), _address(b), d) for a, b, d in _REGIONS]
        for start, end, distance in self.regions:
            if start <= pc < end:
                return start, sp + distance
        return None, None

    def __call__(self, pending_frame):
        pc = int(pending_frame.read_register("rip"))
        if pc < (1 << 63):
            return None
        start, at = self._trap_frame(pc, int(pending_frame.read_register("rsp")))
        if start is None:
            return None
        frame_type = gdb.lookup_type("struct trap_frame")
        tf = gdb.Value(at).cast(frame_type.pointer()).dereference()
        info = pending_frame.create_unwind_info(_FrameId(gdb.Value(at), gdb.Value(start)))
        u64 = gdb.lookup_type("unsigned long")
        for reg in _SAVED + ("rip", "rsp"):
            info.add_saved_register(reg, tf[reg].cast(u64))
        return info


def kernel_stack(thread, limit=32):
    """The return addresses on a switched-out thread's kernel stack,
    innermost first, down to the frame the trap entry began."""
    pcb = thread["pcb"]
    ksp = int(pcb["ksp"])
    if ksp == 0:
        return []
    u64 = gdb.lookup_type("unsigned long").pointer()

    def word(address):
        return int(gdb.Value(address).cast(u64).dereference())
    bottom = int(pcb["kstack"]) if int(pcb["kstack"]) else ksp
    top = bottom + K.const("KERNEL_STACK_SIZE")
    pcs = [word(ksp + 48)]              # switch_context's return, above 6 saved registers
    rbp = word(ksp + 40)
    while bottom <= rbp < top and len(pcs) < limit:
        pcs.append(word(rbp + 8))
        rbp = word(rbp)
    return pcs


def symbolise(pc):
    text = gdb.execute("info symbol %#x" % pc, to_string=True).strip()
    if text.startswith("No symbol"):
        return "%#x" % pc
    return "%#x %s" % (pc, text.split(" in section")[0])


def register():
    gdb.unwinder.register_unwinder(None, TrapUnwinder(), replace=True)
