"""What threads wait on, and the waits-for graph.

A World is one reading of the kernel's IPC state for one command: every
port some name space, task, thread or memory object holds, who holds
rights to each, and which wait queue belongs to what.  From it a
waiting thread's wait is told in words, and its waits-for edge found:

  pager   a pager wait (thread.vm_wait, vm/vm_waits.h): thread -> object
          -> the task receiving the object's pager port;
  reply   waiting to receive on a port of its own to which no send right
          exists, only send-once rights: an RPC's reply port.  The edge
          goes to each task holding a send-once right to it, or holding
          the receive right of a port whose queue has a message carrying
          one (the request, not yet received);
  room    waiting for room on a full port: the edge goes to its receiver;
  end     waiting for a task or thread to end: the edge goes to that task.

A thread waiting to receive on a port others can send to (a server's
idle wait) has no edge: it is the one that would answer.  The deadlock
test is the kernel's own (vm_waits.c), over every kind of edge: a wait
is deadlocked if every thread of every task reached along the edges
waits along an edge too; on a cycle if its own task is among those
reached, else behind one.
"""

from collections import defaultdict

import gdb

from . import kernel as K


class Wait:
    """A thread's wait: words for it, and the tasks it waits on."""

    def __init__(self, thread, kind, text, targets=()):
        self.thread = thread
        self.kind = kind          # pager, reply, room, end, or None: no edge
        self.text = text
        self.targets = list(targets)


def pager_wait_text(thread):
    """A thread's pager wait (vm/vm_waits.h: struct vm_wait): what for,
    since when, until when."""
    w = thread["vm_wait"].dereference()
    return "(%s) on object %d offset %#x, %s so far, %s" % (
        K.wait_kind(w["kind"]), int(w["object"]["id"]), int(w["offset"]),
        K.ms(K.now_ns() - int(w["since_ns"])), K.until(int(w["deadline_ns"])))


class World:
    def __init__(self):
        self.tasks = list(K.tasks())
        self.holders = defaultdict(list)     # port address -> [(task, name, bits)]
        self.ports = {}                      # port address -> port
        self.psets = {}                      # pset address -> (task, name)
        self.queues = {}                     # wait queue address -> (what, object)
        self.sonce_queued = defaultdict(list)  # port address -> [port whose queue holds it]
        self._read_spaces()
        self._read_kernel_ports()
        self._read_queues()

    def _read_spaces(self):
        for task in self.tasks:
            space = task["itk_space"]
            if int(space) == 0:
                continue
            for name, entry in K.space_entries(space.dereference()):
                obj = int(entry["object"])
                if obj == 0:
                    continue
                bits = int(entry["bits"])
                if bits & K.const("IPC_ENTRY_PORT_SET"):
                    self.psets[obj] = (task, name)
                else:
                    self.holders[obj].append((task, name, bits))
                    self.ports[obj] = K.pointer("ipc_port", obj)

    def _note_port(self, value):
        if int(value) != 0 and int(value) not in self.ports:
            self.ports[int(value)] = value.dereference()

    def _read_kernel_ports(self):
        for task in self.tasks:
            for field in ("itk_self", "itk_exception", "itk_bootstrap"):
                self._note_port(task[field])
            for t in K.task_threads(task):
                for field in ("ith_self", "ith_kernel_reply", "ith_exception"):
                    self._note_port(t[field])
        for obj in K.objects():
            self._note_port(obj["pager"])
            self._note_port(obj["control"])

    def _read_queues(self):
        port_off = {f: K.offset_of("ipc_port", f) for f in ("receivers", "senders")}
        for address, port in self.ports.items():
            self.queues[address + port_off["receivers"]] = ("receive", port)
            self.queues[address + port_off["senders"]] = ("room", port)
            for kmsg in K.queue(port):
                local = int(kmsg["hdr"]["msgh_local_slot"])
                mask = K.const("MACH_MSGH_BITS_LOCAL_MASK")
                local_right = (int(kmsg["hdr"]["msgh_bits"]) & mask) // (mask & -mask)
                if K.valid_port(local) and local_right == K.const("MACH_MSG_TYPE_PORT_SEND_ONCE"):
                    self.sonce_queued[local].append(port)
        pset_off = K.offset_of("ipc_pset", "receivers")
        for address in self.psets:
            self.queues[address + pset_off] = ("receive-set", address)
        for task in self.tasks:
            self.queues[K.addr(task["death"])] = ("task-end", task)
            for t in K.task_threads(task):
                self.queues[K.addr(t["death"])] = ("thread-end", t)
                self.queues[K.addr(t["stopped"])] = ("thread-stop", t)
        for obj in K.objects():
            self.queues[K.addr(obj["pager_wait"])] = ("pager-ready", obj)

    # ---- names ----

    def name_in(self, task, port_address):
        """TASK's name for the port, or None."""
        for holder, name, _ in self.holders.get(port_address, ()):
            if int(holder.address) == int(task.address):
                return name
        return None

    def port_text(self, port, task=None):
        """A port as TASK sees it: its name there, else its address."""
        name = self.name_in(task, K.addr(port)) if task is not None else None
        text = "port %#x" % name if name is not None else "port at %#x" % K.addr(port)
        what = K.kobject_desc(port)
        return text + (" (%s)" % what if what else "")

    def sonce_holders(self, port_address):
        """(task, how) for each holder of a send-once right to the port."""
        found = []
        for task, name, bits in self.holders.get(port_address, ()):
            if bits & K.const("IPC_ENTRY_SEND_ONCE"):
                found.append((task, "holds it as %#x" % name))
        for queue_port in self.sonce_queued.get(port_address, ()):
            owner = K.owner_task(queue_port)
            if owner is not None:
                found.append((owner, "the request is queued on its %s"
                              % self.port_text(queue_port, owner)))
        return found

    # ---- waits ----

    def wait_of(self, thread):
        """The thread's Wait, or None if it is not waiting."""
        if K.thread_state(thread) != "waiting":
            return None
        if int(thread["vm_wait"]) != 0:
            return self._pager_wait(thread)
        waitq = int(thread["waitq"])
        if waitq == 0:
            return Wait(thread, None, "sleeping" + self._deadline(thread))
        what, obj = self.queues.get(waitq, (None, None))
        if what == "receive":
            return self._receive_wait(thread, obj)
        if what == "room":
            owner = K.owner_task(obj)
            return Wait(thread, "room", "waiting for room on %s (%d queued), received by %s"
                        % (self.port_text(obj, thread["task"].dereference()),
                           int(obj["msgcount"]), K.owner_desc(obj)) + self._deadline(thread),
                        [owner] if owner is not None else [])
        if what == "receive-set":
            name = self.psets[obj][1]
            return Wait(thread, None, "receiving on port set %#x" % name + self._deadline(thread))
        if what in ("task-end", "thread-end", "thread-stop"):
            target = obj if what == "task-end" else obj["task"].dereference()
            whom = K.task_desc(obj) if what == "task-end" else K.thread_desc(obj)
            verb = "to stop" if what == "thread-stop" else "to end"
            return Wait(thread, "end", "waiting for %s %s" % (whom, verb), [target])
        if what == "pager-ready":
            return Wait(thread, None, "waiting on object %d's pager" % int(obj["id"]))
        symbol = gdb.execute("info symbol %#x" % waitq, to_string=True).strip()
        return Wait(thread, None, "waiting on the queue at %#x (%s)" % (waitq, symbol)
                    + self._deadline(thread))

    @staticmethod
    def _deadline(thread):
        deadline = int(thread["deadline"])
        return "" if deadline == K.NO_DEADLINE else ", " + K.until(deadline)

    def _receive_wait(self, thread, port):
        task = thread["task"].dereference()
        text = "receiving on " + self.port_text(port, task)
        owner = K.owner_task(port)
        own = owner is not None and int(owner.address) == int(task.address)
        if not own or int(port["srights"]) != 0 or int(port["sorights"]) == 0:
            return Wait(thread, None, text + self._deadline(thread))
        holders = self.sonce_holders(K.addr(port))
        if not holders:
            return Wait(thread, None, text + ", a reply the kernel owes" + self._deadline(thread))
        owed = "; ".join("%s (%s)" % (K.task_desc(t), how) for t, how in holders)
        return Wait(thread, "reply", text + ": a reply owed by " + owed + self._deadline(thread),
                    [t for t, _ in holders])

    def _pager_wait(self, thread):
        obj = thread["vm_wait"]["object"].dereference()
        pager = K.pager_task(obj)
        text = "pager wait %s, policy %s, pager %s" % (
            pager_wait_text(thread), K.policy_name(obj["policy"]),
            K.task_desc(pager) if pager is not None else "none (dead or given up)")
        return Wait(thread, "pager", text, [pager] if pager is not None else [])

    # ---- the graph ----

    def edges(self):
        """The Wait of every thread that waits along an edge."""
        found = []
        for task in self.tasks:
            for t in K.task_threads(task):
                w = self.wait_of(t)
                if w is not None and w.kind is not None:
                    found.append(w)
        return found

    def analyse(self, wait, by_thread):
        """(state, path, live): the kernel's deadlock test from WAIT.
        state is 'live', 'cycle' or 'behind'; path the waits from WAIT's
        task back to it (a cycle); live the wait or thread that can answer."""
        reached = []          # [task address]
        via = {}              # task address -> (wait, from task address)
        for target in wait.targets:
            if int(target.address) not in via:
                reached.append(int(target.address))
                via[int(target.address)] = (wait, None)
        if not reached:
            return "live", [], None
        tasks = {int(t.address): t for t in self.tasks}
        i = 0
        while i < len(reached):
            task = tasks.get(reached[i])
            i += 1
            if task is None:
                return "live", [], None
            for u in K.task_threads(task):
                w = by_thread.get(int(u.address))
                if w is None or not w.targets:
                    return "live", [], u
                for target in w.targets:
                    if int(target.address) not in via:
                        reached.append(int(target.address))
                        via[int(target.address)] = (w, int(task.address))
        own = int(wait.thread["task"])
        if own not in via:
            return "behind", [], None
        path, at = [], own
        while at is not None:
            w, at = via[at]
            path.append(w)
        return "cycle", list(reversed(path)), None
