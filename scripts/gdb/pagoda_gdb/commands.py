"""The `pagoda` commands (docs/debugging.md).  Each reads the stopped
kernel afresh; `help pagoda COMMAND` says what it shows."""

import glob
import os
import re

import gdb

from . import kernel as K
from .symbols import Symbols
from .unwind import kernel_stack, symbolise
from .waits import World, pager_wait_text


def _locks_note():
    held = K.held_locks()
    if held:
        print("(stopped with %s held: a structure may be half updated)" % ", ".join(held))


class Pagoda(gdb.Command):
    """Commands that show Pagoda's kernel objects: tasks, threads, ports,
    memory maps, pager requests and who waits on whom.  Tasks are named by
    id or name, threads by id, as the kernel's log names them."""

    def __init__(self):
        super().__init__("pagoda", gdb.COMMAND_USER, prefix=True)


class Tasks(gdb.Command):
    """List every task with its name and its threads.
Usage: pagoda tasks
Each task's line gives its id, its name (its boot module's or its
program's), its suspend count and its number of threads; a line per
thread follows with its id, its state and what it waits on.  The
thread that was running when the guest stopped is marked with '*'."""

    def __init__(self):
        super().__init__("pagoda tasks", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        world = World()
        current = K.current_thread()
        current = int(current.address) if current is not None else 0
        for task in world.tasks:
            suspended = int(task["suspend_count"])
            flags = " suspended %d" % suspended if suspended else ""
            flags += " terminating" if bool(task["terminating"]) else ""
            print("task %-4d %-16s %d threads%s" % (int(task["name"]), K.label(task),
                                                    int(task["thread_count"]), flags))
            for t in K.task_threads(task):
                mark = "*" if int(t.address) == current else " "
                w = world.wait_of(t)
                print("   %s thread %-4d %-8s %s" % (mark, int(t["name"]), K.thread_state(t),
                                                   w.text if w is not None else ""))
        _locks_note()


class Thread(gdb.Command):
    """Show a thread's state and what it waits on.
Usage: pagoda thread [ID]    (default: the current thread)
Shows its task, scheduling state, priority and suspension; what it waits
on (a port and who would answer, a pager and its deadline, a sleep); its
user registers as it last entered the kernel, with the symbol if its
task's symbols are loaded; and, unless it is running, the functions on
its kernel stack (where in the kernel it waits)."""

    def __init__(self):
        super().__init__("pagoda thread", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        t = K.find_thread(arg)
        print("%s: %s, priority %d (max %d), suspend count %d%s" % (
            K.thread_desc(t), K.thread_state(t), int(t["priority"]), int(t["max_priority"]),
            int(t["suspend_count"]), ", terminating" if bool(t["terminating"]) else ""))
        w = World().wait_of(t)
        if w is not None:
            print("  waits: " + w.text)
        frame = K.user_frame(t)
        if frame is not None:
            print("  user: pc %#x sp %#x%s" % (int(frame["rip"]), int(frame["rsp"]),
                                              self._where(t, int(frame["rip"]))))
        print("  ran %d ticks, %d switches" % (int(t["run_ticks"]), int(t["switches"])))
        if K.thread_state(t) == "running":
            print("  it is running: bt shows its stack")
        elif int(t["continuation"]) != 0:
            print("  waits without its kernel stack; resumes in " +
                  symbolise(int(t["continuation"])))
        else:
            print("  kernel stack:")
            for pc in kernel_stack(t):
                print("    " + symbolise(pc))
        _locks_note()

    @staticmethod
    def _where(t, pc):
        task = t["task"].dereference()
        if not Symbols.loaded_for(task):
            return " (pagoda symbols %d loads its symbols)" % int(task["name"])
        sym = gdb.execute("info symbol %#x" % pc, to_string=True).strip()
        return " in " + sym.split(" in section")[0]


class Ports(gdb.Command):
    """Show a task's port name space: rights and the peer of each port.
Usage: pagoda ports [TASK]    (default: the current task)
One line per name: the name, the rights it holds (send, receive,
send-once, port-set, dead-name), its user references, what the port is
(a kernel object's port says whose), and the peer: for a send or
send-once right the task that receives, for a receive right the tasks
holding send rights to it, and the messages queued."""

    def __init__(self):
        super().__init__("pagoda ports", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        task = K.find_task(arg)
        world = World()
        space = task["itk_space"]
        if int(space) == 0:
            raise gdb.GdbError("%s has no name space (it has ended)" % K.task_desc(task))
        entries = list(K.space_entries(space.dereference()))
        print("name space of %s: %d names" % (K.task_desc(task), len(entries)))
        print("%-10s %-22s %5s  %s" % ("NAME", "RIGHTS", "UREFS", "PORT -> PEER"))
        for name, e in entries:
            bits = int(e["bits"])
            print("%#-10x %-22s %5d  %s" % (name, K.rights_of(bits), int(e["urefs"]),
                                            self._peer(world, task, int(e["object"]), bits)))
        _locks_note()

    @staticmethod
    def _peer(world, task, obj, bits):
        if obj == 0:
            return "(dead)"
        if bits & K.const("IPC_ENTRY_PORT_SET"):
            members = [p for p in world.ports.values() if int(p["pset"]) == obj]
            return "port set of %d ports" % len(members)
        port = K.pointer("ipc_port", obj)
        what = K.kobject_desc(port)
        text = "port at %#x%s" % (obj, " (%s)" % what if what else "")
        if not bits & K.const("IPC_ENTRY_RECEIVE"):
            return text + " -> " + K.owner_desc(port)
        senders = sorted({K.task_desc(t) for t, _, b in world.holders[obj]
                          if b & (K.const("IPC_ENTRY_SEND") | K.const("IPC_ENTRY_SEND_ONCE"))
                          and int(t.address) != int(task.address)})
        if int(port["memory_object"]) != 0:
            senders.append("the kernel (object %d)" % int(port["memory_object"]["id"]))
        text += " <- " + (", ".join(senders) if senders else "no other task")
        count = int(port["msgcount"])
        return text + (", %d queued" % count if count else "")


def _prot(p):
    p = int(p)
    return "".join(c if p & K.const("VM_PROT_" + n) else "-"
                   for c, n in (("r", "READ"), ("w", "WRITE"), ("x", "EXECUTE")))


def _object_text(first):
    """An entry's object: its shadow chain, and who supplies the bottom's data."""
    chain = []
    pager = None
    for obj in K.linked(first.address, "shadow"):
        chain.append(str(int(obj["id"])))
        if int(obj["pager"]) != 0:
            pager = obj
            break
    text = " -> ".join(chain)
    if bool(obj["device"]):
        return text + " device memory at %#x" % int(obj["device_physical"])
    if pager is None:
        return text + " zero-fill"
    task = K.pager_task(pager)
    who = K.task_desc(task) if task is not None else "none (%s)" % (
        "failed" if bool(pager["pager_failed"]) else "in transit")
    return text + " pager %s, policy %s %s%s" % (
        who, K.policy_name(pager["policy"]), K.ms(int(pager["deadline_ns"])),
        ", %d requests pending" % int(pager["requests_pending"])
        if int(pager["requests_pending"]) else "")


class Vm(gdb.Command):
    """Show a task's memory map: each entry's object and its pager.
Usage: pagoda vm [TASK]    (default: the current task)
One line per map entry: its range, protection and maximum, inheritance,
flags (needs-copy, shared, wired), the object's offset, and the object:
its shadow chain (ids, down to the object that holds or gets the data),
and where the data comes from: zero-fill, device memory, or a pager
task with the object's policy, deadline and pending requests."""

    def __init__(self):
        super().__init__("pagoda vm", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        task = K.find_task(arg)
        vm_map = task["map"]
        if int(vm_map) == 0:
            raise gdb.GdbError("%s has no map (it has ended)" % K.task_desc(task))
        print("map of %s: %d entries" % (K.task_desc(task), int(vm_map["nentries"])))
        print("%-18s %-18s %-7s %-7s %-10s %-8s %s" % ("START", "END", "PROT", "INHERIT",
                                                     "FLAGS", "OFFSET", "OBJECT"))
        for e in K.map_entries(vm_map.dereference()):
            flags = ",".join(f for f, on in (("copy", bool(e["needs_copy"])),
                                             ("shared", bool(e["is_shared"])),
                                             ("wired", int(e["wired_count"]) > 0)) if on)
            obj = e["object"]
            print("%#-18x %#-18x %s/%s %-7s %-10s %#-8x %s" % (
                int(e["start"]), int(e["end"]), _prot(e["protection"]),
                _prot(e["max_protection"]),
                K.const_name("VM_INHERIT_", e["inheritance"]), flags or "-", int(e["offset"]),
                _object_text(obj.dereference()) if int(obj) != 0 else "none yet (zero-fill)"))
        _locks_note()


class Requests(gdb.Command):
    """List the pager requests pending, with the threads waiting and their deadlines.
Usage: pagoda requests
One block per object with requests its pager has not answered or with
threads waiting on its pager: the pager task and whether it said ready,
the object's policy and deadline, the pages asked for (absent in the
kernel), then each thread waiting: for what (data, ready, unlock, held,
replace), at which offset, how long so far, and how long before its
deadline."""

    def __init__(self):
        super().__init__("pagoda requests", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        by_object = {}
        for t in K.all_threads():
            if int(t["vm_wait"]) != 0 and K.thread_state(t) == "waiting":
                by_object.setdefault(int(t["vm_wait"]["object"]), []).append(t)
        shown = 0
        for obj in K.objects():
            if int(obj["pager"]) != 0 or int(obj.address) in by_object:
                shown += self._object(obj, by_object.get(int(obj.address), []))
        if shown == 0:
            print("no pager requests pending")
        _locks_note()

    @staticmethod
    def _object(obj, waiting):
        absent = [int(p["offset"]) for p in K.object_pages(obj)
                  if int(p["vm_flags"]) & K.const("VM_PAGE_ABSENT")]
        pending = int(obj["requests_pending"])
        if not absent and not waiting and pending == 0:
            return 0
        task = K.pager_task(obj)
        state = "ready" if bool(obj["pager_ready"]) else "not ready"
        if bool(obj["pager_failed"]):
            state = "failed"
        print("object %d: pager %s (%s), policy %s, deadline %s: %d requests pending" % (
            int(obj["id"]), K.task_desc(task) if task is not None else "none", state,
            K.policy_name(obj["policy"]), K.ms(int(obj["deadline_ns"])), pending))
        for offset in sorted(absent):
            print("  page at offset %#x asked for" % offset)
        for t in waiting:
            print("    %s waits %s" % (K.thread_desc(t), pager_wait_text(t)))
        return 1


class Waits(gdb.Command):
    """Show the waits-for graph: who waits on whom, cycles marked.
Usage: pagoda waits
One line per thread that waits on another task: on a pager (a page,
ready, unlock), on an RPC's reply (the task owing it holds the reply's
send-once right, or the request is still queued at it), on room in a
full queue, or on a task's end.  Each is marked as the kernel's own
test (vm/vm_waits.c) would over these edges: [live] some thread down
the edges can answer (named), [CYCLE] no thread can and the wait's own
task is on the cycle, [behind a cycle] no thread can.  Each cycle is
then printed as the path of its waits."""

    def __init__(self):
        super().__init__("pagoda waits", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        world = World()
        edges = world.edges()
        by_thread = {int(w.thread.address): w for w in edges}
        cycles = {}
        print("waits-for graph: %d waits on other tasks" % len(edges))
        for w in edges:
            state, path, live = world.analyse(w, by_thread)
            if state == "cycle":
                mark = "[CYCLE]"
                key = tuple(sorted(int(p.thread.address) for p in path))
                cycles.setdefault(key, path)
            elif state == "behind":
                mark = "[behind a cycle]"
            elif live is not None:
                mark = "[live: %s can answer]" % K.thread_desc(live)
            else:
                mark = "[live]"
            targets = ", ".join(K.task_desc(t) for t in w.targets) or "nobody"
            print("  %s -> %s %s\n      %s" % (K.thread_desc(w.thread), targets, mark, w.text))
        for path in cycles.values():
            steps = " -> ".join("%s (%s)" % (K.thread_desc(w.thread), w.kind) for w in path)
            print("cycle: %s -> back to %s" % (steps, K.task_desc(path[0].thread["task"])))
        if not cycles:
            print("no cycles")
        _locks_note()


class Queue(gdb.Command):
    """Show the messages queued on a port, or on every port a task receives on.
Usage: pagoda queue TASK NAME    (NAME: TASK's name for the port, in hex)
       pagoda queue TASK         (each port TASK holds the receive right of)
       pagoda queue ADDRESS      (the port's address, an expression)
For each port: who receives on it, its queue limit and the senders
waiting for room; then each message queued, oldest first: its id (and
the routine it belongs to, from the interface compiler's headers), its
size, whether it carries descriptors, and its reply port with the thread
waiting on the reply."""

    def __init__(self):
        super().__init__("pagoda queue", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        world = World()
        words = gdb.string_to_argv(arg)
        if len(words) == 2:
            task = K.find_task(words[0])
            address = self._address_of(world, task, int(words[1], 16))
            if address is None:
                raise gdb.GdbError("%s has no port named %s" % (K.task_desc(task), words[1]))
            self._show(world, K.pointer("ipc_port", address))
        elif len(words) == 1 and self._is_task(words[0]):
            self._show_task(world, K.find_task(words[0]))
        elif len(words) == 1:
            self._show(world, K.pointer("ipc_port", int(gdb.parse_and_eval(words[0]))))
        else:
            raise gdb.GdbError("usage: pagoda queue TASK [NAME], or pagoda queue ADDRESS")
        _locks_note()

    @staticmethod
    def _is_task(word):
        return any(str(int(t["name"])) == word or K.label(t) == word for t in K.tasks())

    @staticmethod
    def _address_of(world, task, name):
        for address, holders in world.holders.items():
            for owner, n, _ in holders:
                if n == name and int(owner.address) == int(task.address):
                    return address
        return None

    def _show_task(self, world, task):
        shown = 0
        for address, holders in sorted(world.holders.items()):
            for owner, _, bits in holders:
                if int(owner.address) == int(task.address) and \
                        bits & K.const("IPC_ENTRY_RECEIVE"):
                    port = K.pointer("ipc_port", address)
                    if int(port["msgcount"]) or int(port["senders"]["head"]):
                        self._show(world, port)
                        shown += 1
        if shown == 0:
            print("no messages queued on the ports %s receives on" % K.task_desc(task))

    @staticmethod
    def _show(world, port):
        task = K.owner_task(port)
        waiting = sum(1 for _ in K.waiting_on(port["senders"]))
        print("%s, received by %s: %d queued (limit %d)%s" % (
            world.port_text(port, task), K.owner_desc(port), int(port["msgcount"]),
            int(port["qlimit"]), ", %d senders waiting for room" % waiting if waiting else ""))
        for n, kmsg in enumerate(K.queue(port), 1):
            hdr = kmsg["hdr"]
            msg_id = int(hdr["msgh_id"])
            complex_ = int(hdr["msgh_bits"]) & K.const("MACH_MSGH_BITS_COMPLEX")
            print("  %d: id %d %s, %d bytes%s" % (n, msg_id, MessageIds.name(msg_id),
                                                  int(hdr["msgh_size"]),
                                                  ", complex" if complex_ else ""))
            reply = int(hdr["msgh_local_slot"])
            if K.valid_port(reply):
                print("     reply to " + _reply_text(world, K.pointer("ipc_port", reply)))


def _reply_text(world, reply):
    text = world.port_text(reply, K.owner_task(reply)) + " of " + K.owner_desc(reply)
    waiting = list(K.waiting_on(reply["receivers"]))
    if waiting:
        text += ", where %s waits" % ", ".join(K.thread_desc(t) for t in waiting)
    return text


class MessageIds:
    """Message ids to routine names, from the interface compiler's headers
    (MSGID_ lines of build/idl/gen and kgen); a reply is its request's
    id + 100."""

    names = None
    build = None

    @classmethod
    def name(cls, msg_id):
        if cls.names is None:
            cls.names = {}
            for header in sorted(glob.glob(os.path.join(cls.build or "build", "idl", "*", "*.h"))):
                with open(header) as f:
                    for m in re.finditer(r"#define MSGID_(\w+) (\d+)", f.read()):
                        cls.names.setdefault(int(m.group(2)), m.group(1))
        if msg_id in cls.names:
            return cls.names[msg_id]
        if msg_id - 100 in cls.names:
            return cls.names[msg_id - 100] + " (reply)"
        return "(unknown)"


class SymbolsCommand(gdb.Command):
    """Load the symbols of a user task's program.
Usage: pagoda symbols [TASK]    (default: the current task)
User programs are all linked at 0x400000, so GDB holds one program's
symbols at a time besides the kernel's; each stop loads the current
task's (set pagoda-auto-symbols off to stop that).  The program is the
file named as the task under pagoda-symbol-path."""

    def __init__(self):
        super().__init__("pagoda symbols", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        task = K.find_task(arg)
        if Symbols.load(task, quiet=True) is None:
            raise gdb.GdbError("no program called '%s' under pagoda-symbol-path" % K.label(task))
        print("pagoda: symbols of %s from %s" % (K.task_desc(task), Symbols.loaded))


def register(build):
    MessageIds.build = build
    for command in (Pagoda, Tasks, Thread, Ports, Vm, Requests, Waits, Queue, SymbolsCommand):
        command()
