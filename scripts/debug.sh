#!/usr/bin/env bash
# make debug (docs/debugging.md): the system under QEMU's GDB stub, and GDB
# attached with the kernel's symbols, the pagoda commands
# (scripts/gdb/pagoda.py, which also load each user task's symbols when
# it stops) and a breakpoint on panic.
#
#   scripts/debug.sh iso ISO DISK...     the ISO with make run's devices
#   scripts/debug.sh kernel ELF32 [--append ARGS] [--module "FILE ARGS"]...
#                                        the kernel and its modules
#   scripts/debug.sh attach PORT         GDB alone, to a QEMU running with
#                                        -gdb tcp:127.0.0.1:PORT
#
# A boot starts halted at reset and GDB stops it at kmain: `continue` runs
# the system, Ctrl-C stops it again.  The guest's serial console is a TCP
# port, CONSOLE_PORT (4444): socat -,rawer tcp:127.0.0.1:4444 reaches the
# shell; everything it prints is also in build/debug-serial.log.
# GDB_PORT is the stub's port (1234).  With GDB_BATCH=FILE, GDB runs the
# commands of FILE once stopped, and exits (the tests do).
set -eu

here=$(dirname "$0")
elf=${KERNEL_ELF:-build/kernel/pagoda.elf}
port=${GDB_PORT:-1234}
mode=${1:-}
shift || true

# gdb_run halted|running: GDB on the stub, stopping at kmain first if the
# guest waits at reset.
gdb_run() {
	local args=(-q "$elf" -ex "set architecture i386:x86-64" -ex "set pagination off"
		    -x "$here/gdb/pagoda.py" -ex "target remote 127.0.0.1:$port")
	# kmain runs in the higher half with paging on: at reset only a
	# hardware breakpoint can be set there.
	[ "$1" = halted ] && args+=(-ex "hbreak kmain" -ex "continue" -ex "delete")
	args+=(-ex "break panic")
	if [ -n "${GDB_BATCH:-}" ]; then
		gdb -batch -nx "${args[@]}" -x "$GDB_BATCH"
	else
		gdb "${args[@]}"
	fi
}

qemu=(-accel tcg -m "${DEBUG_MEMORY:-256}" -display none -monitor none -no-reboot
      -S -gdb "tcp:127.0.0.1:$port")
case $mode in
attach)
	port=$1
	gdb_run running
	exit
	;;
iso)
	qemu+=(-cdrom "$1" -boot d $("$here/qemu-devices.sh" "$2" "$3"))
	;;
kernel)
	qemu+=(-kernel "$1")
	shift
	modules=
	while [ $# -gt 0 ]; do
		case $1 in
		--append) qemu+=(-append "$2") ;;
		# QEMU separates modules with commas; a literal comma is doubled.
		--module) modules=${modules:+$modules,}${2//,/,,} ;;
		*) echo "debug.sh: unknown argument '$1'" >&2; exit 2 ;;
		esac
		shift 2
	done
	[ -n "$modules" ] && qemu+=(-initrd "$modules")
	;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac

log=build/debug-serial.log
console=${CONSOLE_PORT:-4444}
mkdir -p build
: >"$log"
qemu-system-x86_64 "${qemu[@]}" -serial chardev:console \
	-chardev "socket,id=console,host=127.0.0.1,port=$console,server=on,wait=off,logfile=$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT INT TERM
echo "debug: QEMU halted (pid $pid); its console: socat -,rawer tcp:127.0.0.1:$console" \
	"(log: $log)"
gdb_run halted
