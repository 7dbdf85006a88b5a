#!/usr/bin/env bash
# make debug's GDB (scripts/debug.sh, scripts/gdb/; docs/debugging.md), in
# batch mode:
#   - a boot halted at reset: GDB stops at kmain, with the kernel's symbols;
#   - a boot with crash=panic: the panic stops in GDB at panic, and a
#     list of the kernel's broken on purpose gets an error, not a hang;
#   - the system at its shell, GDB attached to it three times:
#     1. memhog running on mempager: a breakpoint in the IPC path
#        (trap_mach_msg, in memhog) stops it; every pagoda command runs,
#        and names the tasks, ports and pagers expected;
#     2. faultinject hang: memhog waits on faultpager, which is alive and
#        does not answer: the wait, its deadline, the pager that can answer;
#     3. faultinject self_deadlock under policy wait: faultpager's cycle,
#        memhog and six faultinjects behind it: five requests queued at
#        faultpager (its queue's limit), the sixth waiting for room.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

work=build/test-gdb
rm -rf "$work"
mkdir -p "$work" build/test-logs
port=$((20000 + $$ % 20000))
# In the patterns: a number, a hexadecimal number, a task's id as the
# commands print it after its name.
n='[0-9]+' x='0x[0-9a-f]+' id='\([0-9]+\)'

# check NAME FILE REGEX...: TAP line NAME, ok if every REGEX matches a
# line of FILE (the file's end as diagnostics if not).
check() {
	local name=$1 file=$2 re
	shift 2
	for re in "$@"; do
		if ! grep -qE -- "$re" "$file"; then
			echo "not ok - gdb: $name"
			echo "#   no line matches: $re"
			tail -n 12 "$file" | sed 's/^/#   /'
			failed=1
			return
		fi
	done
	echo "ok - gdb: $name"
}

# ---- boots under make debug's script ----

printf 'info symbol $pc\nbt 1\nkill\n' >"$work/kmain.gdb"
GDB_BATCH=$work/kmain.gdb GDB_PORT=$port CONSOLE_PORT=$((port + 1)) timeout 120 \
	scripts/debug.sh kernel "$KERNEL" --module "$BOOTSTRAP" >"$work/kmain.out" 2>&1
# The line is kmain's first statement, or a function inlined into it
# there (the kernel is built with link-time optimization).
check gdb_attaches_and_stops_at_kmain_with_symbols "$work/kmain.out" \
	"^kmain in section \.text" \
	"^#0 +kmain \(magic=732803074, info_phys=$n\) at kernel/[a-z0-9_/]+\.[ch]:[0-9]+$"

# After the panic, a list of the kernel's is made to go round (as memory a
# bug overwrote might): the command says so instead of walking for ever.
cat >"$work/panic.gdb" <<'EOF'
continue
bt
set var cpu0.current->task_next = cpu0.current
set var kernel_task.threads = cpu0.current
python
try:
    gdb.execute("pagoda tasks")
except gdb.error as e:
    print("error: %s" % e)
end
kill
EOF
GDB_BATCH=$work/panic.gdb GDB_PORT=$port CONSOLE_PORT=$((port + 1)) timeout 120 \
	scripts/debug.sh kernel "$KERNEL" --append crash=panic --module "$BOOTSTRAP" \
	>"$work/panic.out" 2>&1
check a_panic_stops_in_gdb_at_panic "$work/panic.out" \
	"^Breakpoint $n, panic \(fmt=.*\"crash: %s requested\"\)" \
	"^#1 .* in crash_now \(kind=.*\"panic\"\) at kernel/kern/crash.c"
check a_list_that_goes_round_gets_an_error_not_a_hang "$work/panic.out" \
	"^error: the list from $x through 'task_next' goes round: the kernel's memory is corrupt"

# ---- the system at its shell, GDB attached three times ----

disk=$(test_disk gdb build/root.img)
log=build/test-logs/gdb_sessions.log
raw=$log.raw
rm -f "$raw"
tests/qemu/boot.sh --name gdb_sessions --kernel "$KERNEL" \
	--module "$BOOTSTRAP" --module "$CONSOLE devices" \
	--module "$BLK devices" --module "$EXT2FS" --module "$PROC" --module "$MEMPAGER" \
	--module "$FAULTPAGER" --module "$EMUL init=/bin/init" --timeout 400 --memory 256 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 --qemu -gdb --qemu "tcp:127.0.0.1:$port" \
	--type-after "^# $" 'memhog -i 50 -r 1000 > /hog.log & sleep 2; echo gdb-one\r' \
	--reject "panic" >"$work/boot.tap" &
booted=$!

# session NAME MARKER TYPED: waits until the guest printed MARKER, runs
# $work/NAME.gdb attached to it (output in $work/NAME.out), then types
# TYPED at the shell.
session() {
	for _ in $(seq 900); do
		[ -f "$raw" ] && tr -d '\r' <"$raw" | grep -qE -- "^$2\$" && break
		sleep 0.2
	done
	GDB_BATCH=$work/$1.gdb timeout 120 scripts/debug.sh attach "$port" >"$work/$1.out" 2>&1
	printf '%b' "$3" >"$log.in"
}

cat >"$work/ipc.gdb" <<'EOF'
break trap_mach_msg if $_streq($pagoda_task(), "memhog")
continue
delete
bt
pagoda tasks
pagoda thread
pagoda ports memhog
pagoda vm memhog
pagoda requests
pagoda waits
pagoda queue ext2fs
help pagoda
python
for command in ("pagoda ports nosuch", "pagoda thread 99999", "pagoda queue"):
    try:
        gdb.execute(command)
    except gdb.error as e:
        print("error: %s" % e)
end
detach
EOF
session ipc gdb-one \
	'kill $!; wait $!; pagerctl policy default fail 60000; faultinject hang; '\
'memhog -p faultpager > /a.log & sleep 3; echo gdb-two\r'
out=$work/ipc.out
check gdb_stops_at_a_breakpoint_in_the_ipc_path "$out" \
	"^Breakpoint $n, trap_mach_msg \(" "^pagoda: symbols of 'memhog' $id from .*/memhog$"
check bt_goes_through_the_trap_into_memhogs_main "$out" \
	"^#1 .* in syscall_entry \(\)" "^#$n .* in vm_msync \(" \
	"^#$n .*main \(.* at bin/pagertools/memhog.c"
check tasks_lists_the_servers_and_programs_with_their_threads "$out" \
	"^task +$n +bootstrap " "^task +$n +ext2fs " "^task +$n +mempager " \
	"^task +$n +faultpager " "^task +$n +emul " "^task +$n +sh " \
	"^ +\* thread $n +running" "^ +thread $n +waiting +receiving on port set"
check thread_shows_memhog_running_in_mach_msg "$out" \
	"^thread $n of 'memhog' $id: running" "^  user: pc $x sp .* in mach_msg"
check ports_shows_memhogs_rights_and_their_peers "$out" \
	"^name space of 'memhog' $id: $n names" \
	"^$x +send +1 +port at $x \(task port of 'memhog' $id\) -> kernel" \
	"^$x +send +1 +port at $x -> 'emul' $id" \
	"^$x +receive +0 +port at $x <- "
check vm_shows_memhogs_objects_and_their_pagers "$out" \
	"^map of 'memhog' $id: $n entries" \
	"^0x400000 .* r--/rwx .* pager 'ext2fs' $id, policy fail" \
	"^$x .* rw-/rwx none +shared .* pager 'mempager' $id, policy fail 5000 ms"
check waits_shows_the_shell_waiting_on_emul_which_can_answer "$out" \
	"^  thread $n of 'sh' $id -> 'emul' $id \[live: thread $n of 'emul'" \
	"a reply owed by 'emul' $id \(holds it as $x\)" "^no cycles$"
check requests_and_queue_report_nothing_pending "$out" \
	"^no pager requests pending$" "^no messages queued on the ports 'ext2fs' $id receives on$"
check help_lists_every_command "$out" "^pagoda ports -- " "^pagoda queue -- " \
	"^pagoda requests -- " "^pagoda symbols -- " "^pagoda tasks -- " "^pagoda thread -- " \
	"^pagoda vm -- " "^pagoda waits -- "
check bad_arguments_get_an_error "$out" \
	"^error: no task has the id or name 'nosuch'" "^error: no thread has the id '99999'" \
	"^error: usage: pagoda queue TASK \[NAME\], or pagoda queue ADDRESS"

cat >"$work/hang.gdb" <<'EOF'
pagoda requests
pagoda waits
pagoda vm memhog
detach
EOF
session hang gdb-two \
	'pagerctl policy default wait; faultinject self_deadlock; '\
'memhog -p faultpager > /b.log & sleep 3; for i in 1 2 3 4 5 6; do faultinject & done; '\
'sleep 8; echo gdb-three\r'
out=$work/hang.out
check requests_show_memhog_waiting_on_hung_faultpager_with_its_deadline "$out" \
	"^object $n: pager 'faultpager' $id \(not ready\), policy fail, deadline 60000 ms" \
	"^    thread $n of 'memhog' $id waits \(ready\) on object $n offset 0x0, " \
	"$n ms so far, deadline in $n ms$"
check waits_shows_the_hung_pager_can_answer_but_does_not "$out" \
	"^  thread $n of 'memhog' $id -> 'faultpager' $id \[live: thread $n of" \
	"\[live: thread $n of 'faultpager' $id can answer\]"
check vm_shows_the_object_faultpager_serves "$out" \
	"^$x .* rw-/rwx none +shared .* pager 'faultpager' $id, policy fail 60000 ms"

cat >"$work/cycle.gdb" <<'EOF'
pagoda waits
pagoda requests
pagoda queue faultpager
detach
EOF
session cycle gdb-three 'halt\r'
out=$work/cycle.out
check waits_marks_faultpagers_cycle "$out" \
	"^  thread $n of 'faultpager' \(($n)\) -> 'faultpager' $id \[CYCLE\]" \
	"^      pager wait \(data\) on object $n offset $x, .* no deadline, policy wait" \
	"^cycle: thread $n of 'faultpager' $id \(pager\) -> back to 'faultpager'"
check waits_puts_memhog_and_faultinject_behind_the_cycle "$out" \
	"^  thread $n of 'memhog' $id -> 'faultpager' $id \[behind a cycle\]" \
	"^  thread $n of 'faultinject' $id -> 'faultpager' $id \[behind a cycle\]" \
	"a reply owed by 'faultpager' $id \(the request is queued on its port $x\)"
check requests_show_the_page_the_cycle_waits_for "$out" \
	"^object $n: pager 'faultpager' $id \(ready\), policy wait, .*: 1 requests pending" \
	"^  page at offset $x asked for"
check waits_puts_a_sender_waiting_for_room_behind_the_cycle "$out" \
	"^  thread $n of 'faultinject' $id -> 'faultpager' $id \[behind a cycle\]" \
	"^      waiting for room on port $x \(5 queued\), received by 'faultpager' $id"
check queue_shows_faultinjects_requests_at_faultpager "$out" \
	"^port $x, received by 'faultpager' $id: 5 queued \(limit 5\), 1 senders waiting for room" \
	"^  1: id $n faultpager_injected, $n bytes" \
	"^     reply to port $x of 'faultinject' $id, where thread $n of 'faultinject'"

wait "$booted" || failed=1
cat "$work/boot.tap"
disk_clean "gdb: halt_leaves_the_disk_clean" "$disk"
exit "${failed:-0}"
