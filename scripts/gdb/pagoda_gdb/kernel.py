"""Reading the kernel's objects from a stopped guest.

Everything here reads the kernel's own structures through GDB's view of
them (the kernel is built with -g), never a copy of their layout: field
names are the C ones, and the values of C macros come from
kernel/kern/debugger.c's enum debugger_constant.  The kernel is
uniprocessor and GDB stops it whole, so what is read is consistent
unless the guest stopped in the middle of an update (a lock is held):
the commands say so where it matters (held_locks).
"""

import gdb

NO_DEADLINE = (1 << 64) - 1     # SCHED_NO_DEADLINE (kern/sched.h): UINT64_MAX

_constants = None
_enums = {}


def const(name):
    """The value of the kernel macro NAME (debugger.c's DEBUGGER_NAME)."""
    global _constants
    if _constants is None:
        fields = gdb.lookup_type("enum debugger_constant").fields()
        _constants = {f.name[len("DEBUGGER_"):]: f.enumval for f in fields}
    return _constants[name]


def const_name(prefix, value):
    """The name, PREFIX cut and in lower case, of the kernel macro
    PREFIX... whose value is VALUE: const_name("VM_PAGER_POLICY_", 1) is
    "wait"."""
    const("KERNEL_STACK_SIZE")
    for name, v in _constants.items():
        if name.startswith(prefix) and v == int(value):
            return name[len(prefix):].lower()
    return "?%d" % int(value)


def enum_name(type_name, value, prefix=""):
    """The enumerator of enum TYPE_NAME whose value is VALUE, PREFIX cut."""
    if type_name not in _enums:
        fields = gdb.lookup_type("enum " + type_name).fields()
        _enums[type_name] = {f.enumval: f.name for f in fields}
    name = _enums[type_name].get(int(value), "?%d" % int(value))
    return name[len(prefix):] if name.startswith(prefix) else name


def offset_of(type_name, field):
    """offsetof(struct TYPE_NAME, FIELD)."""
    return int(gdb.parse_and_eval("(unsigned long)&((struct %s *)0)->%s" % (type_name, field)))


def addr(value):
    """A pointer (or the address of a struct) as an int."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        return int(value)
    return int(value.address)


def pointer(type_name, address):
    """struct TYPE_NAME * at ADDRESS, dereferenced."""
    return gdb.Value(address).cast(gdb.lookup_type("struct " + type_name).pointer()).dereference()


def now_ns():
    """The kernel's coarse clock (clock_coarse_ns), which deadlines follow."""
    return int(gdb.lookup_static_symbol("coarse_ns").value())


def held_locks():
    """The names of the kernel's big locks that are held now."""
    names = []
    for lock in ("sched_lock", "ipc_lock", "task_lock"):
        try:
            if int(gdb.parse_and_eval(lock)["held"]) != 0:
                names.append(lock)
        except gdb.error:
            pass
    return names


# ---- tasks and threads ----

def _goes_round(first, link):
    """A list walk came back to an item it had passed: the kernel broke the
    list (GDB is often used after a panic), and the walk would not end."""
    raise gdb.GdbError("the list from %#x through '%s' goes round: the kernel's memory "
                       "is corrupt there" % (int(first), link))


def tasks():
    """Every task on the kernel's list, the kernel task first."""
    head = gdb.parse_and_eval("&kernel_task")
    task, seen = head, set()
    while int(task) not in seen:
        seen.add(int(task))
        yield task.dereference()
        task = task["next"]
        if int(task) == int(head) or int(task) == 0:
            return
    _goes_round(head, "next")


def linked(first, link):
    """The structs of a NULL-ended list, from the pointer FIRST through
    each one's field LINK."""
    p, seen = first, set()
    while int(p) != 0:
        if int(p) in seen:
            _goes_round(first, link)
        seen.add(int(p))
        yield p.dereference()
        p = p[link]


def task_threads(task):
    return linked(task["threads"], "task_next")


def waiting_on(wait_queue):
    """The threads on a struct wait_queue (kern/sched.h), first first."""
    return linked(wait_queue["head"], "q_next")


def all_threads():
    for task in tasks():
        for t in task_threads(task):
            yield t


def label(task):
    return task["label"].string()


def task_desc(task):
    """'label' (id): the way the kernel's log names a task."""
    return "'%s' (%d)" % (label(task), int(task["name"]))


def thread_desc(thread):
    return "thread %d of %s" % (int(thread["name"]), task_desc(thread["task"].dereference()))


def current_thread():
    t = gdb.parse_and_eval("cpu0.current")
    return t.dereference() if int(t) != 0 else None


def current_task():
    t = current_thread()
    return t["task"].dereference() if t is not None else None


def find_task(arg):
    """The task ARG names: its id, its name, or (empty) the current one."""
    arg = arg.strip()
    if arg == "":
        task = current_task()
        if task is None or int(task.address) == int(gdb.parse_and_eval("&kernel_task")):
            raise gdb.GdbError("the guest stopped in a kernel thread: name a task "
                               "(pagoda tasks lists them)")
        return task
    found = [t for t in tasks() if str(int(t["name"])) == arg or label(t) == arg]
    if not found:
        raise gdb.GdbError("no task has the id or name '%s' (pagoda tasks lists them)" % arg)
    if len(found) > 1 and not arg.isdigit():
        ids = ", ".join(str(int(t["name"])) for t in found)
        raise gdb.GdbError("%d tasks are called '%s': give an id (%s)" % (len(found), arg, ids))
    return found[0]


def find_thread(arg):
    """The thread ARG names by its id, or (empty) the current one."""
    arg = arg.strip()
    if arg == "":
        t = current_thread()
        if t is None:
            raise gdb.GdbError("no thread is current")
        return t
    for t in all_threads():
        if str(int(t["name"])) == arg:
            return t
    raise gdb.GdbError("no thread has the id '%s' (pagoda tasks lists them)" % arg)


def thread_state(thread):
    return enum_name("thread_state", thread["state"], "TH_").lower()


def user_frame(thread):
    """The user registers a thread saved when it last entered the kernel
    (pcb_frame in arch/x86_64/pcb.h), or None for a kernel thread."""
    pcb = thread["pcb"]
    if not bool(pcb["user"]) or int(pcb["kstack"]) == 0:
        return None
    frame_type = gdb.lookup_type("struct trap_frame")
    top = int(pcb["kstack"]) + const("KERNEL_STACK_SIZE") - frame_type.sizeof
    return gdb.Value(top).cast(frame_type.pointer()).dereference()


# ---- ports and name spaces ----

def space_entries(space):
    """(name, entry) for each entry of a name space that holds something."""
    size = int(space["size"])
    if int(space["table"]) == 0 or size == 0:
        return
    if size > const("IPC_SPACE_MAX"):
        raise gdb.GdbError("a name space of %d entries, more than IPC_SPACE_MAX: "
                           "the kernel's memory is corrupt there" % size)
    entry_type = gdb.lookup_type("struct ipc_entry")
    memory = gdb.selected_inferior().read_memory(int(space["table"]), size * entry_type.sizeof)
    table = gdb.Value(memory, entry_type.array(size - 1))
    gen_bits = const("IPC_NAME_GEN_BITS")
    for i in range(1, size):
        e = table[i]
        if int(e["bits"]) != 0:
            yield (i << gen_bits) | int(e["gen"]), e


RIGHT_BITS = (("SEND", "send"), ("RECEIVE", "receive"), ("SEND_ONCE", "send-once"),
              ("PORT_SET", "port-set"), ("DEAD_NAME", "dead-name"))


def rights_of(bits):
    """The rights an entry's bits name, as words."""
    names = [word for flag, word in RIGHT_BITS if bits & const("IPC_ENTRY_" + flag)]
    if bits & const("IPC_ENTRY_DNREQUEST"):
        names.append("+dnrequest")
    return " ".join(names)


def valid_port(slot):
    """Whether a message's port slot holds a port: IPC_PORT_VALID
    (ipc/ipc_right.h), whose IPC_PORT_DEAD is the pointer -1."""
    return slot != 0 and slot != (1 << 64) - 1


def port_owner(port):
    """The task holding PORT's receive right; 'kernel' for a kernel-held
    port, None if it is dead or in transit."""
    if not bool(port["active"]):
        return None
    receiver = port["receiver"]
    if int(receiver) == 0:
        return None
    if int(receiver) == int(gdb.parse_and_eval("&ipc_space_kernel")):
        return "kernel"
    return receiver["task"].dereference()


def owner_task(port):
    """The task holding PORT's receive right, or None: kernel-held, dead
    or in transit."""
    owner = port_owner(port)
    return None if owner is None or isinstance(owner, str) else owner


def until(deadline_ns):
    """A deadline (SCHED_NO_DEADLINE: none) as time left from now."""
    if deadline_ns == NO_DEADLINE:
        return "no deadline"
    left = deadline_ns - now_ns()
    return "deadline in " + ms(left) if left > 0 else "deadline passed"


def owner_desc(port):
    owner = port_owner(port)
    if owner is None:
        return "dead" if not bool(port["active"]) else "in transit"
    return owner if isinstance(owner, str) else task_desc(owner)


def kobject_desc(port):
    """What a kernel-held port stands for, or '' for an ordinary port."""
    kind = enum_name("ipc_kotype", port["kotype"], "IKOT_")
    kobject = int(port["kobject"])
    if kind == "TASK" and kobject:
        return "task port of " + task_desc(pointer("task", kobject))
    if kind == "THREAD" and kobject:
        return "thread port of " + thread_desc(pointer("thread", kobject))
    if kind == "REPLY" and kobject:
        return "kernel reply port of " + thread_desc(pointer("thread", kobject))
    if kind == "PAGER_CONTROL" and kobject:
        return "control port of object %d" % int(pointer("vm_object", kobject)["id"])
    if kind == "NONE":
        if int(port["memory_object"]) != 0:
            return "pager port of object %d" % int(port["memory_object"]["id"])
        return ""
    return kind.lower().replace("_", " ") + " port"


def queue(port):
    """The messages queued on a port, oldest first."""
    return linked(port["msg_head"], "next")


# ---- memory ----

def map_entries(vm_map):
    header = vm_map["header"]
    entry, seen = header["next"], set()
    while int(entry) != int(header.address) and int(entry) != 0:
        if int(entry) in seen:
            _goes_round(header.address, "next")
        seen.add(int(entry))
        yield entry.dereference()
        entry = entry["next"]


def objects():
    """Every live vm_object, in the order of their ids."""
    return linked(gdb.parse_and_eval("vm_objects"), "all_next")


def object_pages(obj):
    return linked(obj["pages"], "obj_next")


def pager_task(obj):
    """The task that receives OBJ's pager's messages, as vm_waits.c's
    vm_waits_pager_task_locked says; None if none can."""
    port = obj["pager"]
    if int(port) == 0 or bool(obj["pager_failed"]):
        return None
    return owner_task(port.dereference())


def policy_name(value):
    return const_name("VM_PAGER_POLICY_", value)


def wait_kind(value):
    return const_name("VM_PAGER_WAIT_", value)


def ms(ns):
    """Nanoseconds as milliseconds, for people."""
    return "%d ms" % (ns // 1000000)
