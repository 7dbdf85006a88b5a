#!/bin/sh
# make debug: QEMU halted at reset with its GDB stub, and GDB attached with
# the kernel's symbols, stopped at kmain.  The guest's serial console goes
# to build/debug-serial.log (watch it with tail -f).  With GDB_BATCH set
# (the test does), GDB runs its commands and exits instead of prompting.
#
#   scripts/debug.sh KERNEL.elf KERNEL32.elf MODULE...
set -eu

elf=$1 elf32=$2
shift 2
modules=$(printf '%s,' "$@" | sed 's/,$//')
port=${GDB_PORT:-1234}
log=build/debug-serial.log

qemu-system-x86_64 -accel tcg -m 128 -display none -monitor none -nic none \
	-serial "file:$log" -no-reboot -S -gdb "tcp:127.0.0.1:$port" \
	-kernel "$elf32" -initrd "$modules" ${DEBUG_APPEND:+-append "$DEBUG_APPEND"} &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM
echo "debug: QEMU halted (pid $qemu), serial console in $log"

# The 64-bit ELF gives GDB the x86-64 architecture before it connects (with
# the 32-bit one it fails: "Remote 'g' packet reply is too long").  kmain
# runs in the higher half with paging on, so a hardware breakpoint is used.
set -- -q "$elf" -ex "set architecture i386:x86-64" \
	-ex "target remote 127.0.0.1:$port" -ex "hbreak kmain" -ex "continue"
if [ -n "${GDB_BATCH:-}" ]; then
	gdb -batch -nx "$@" -ex "info symbol \$pc" -ex "bt 1" -ex "kill"
else
	gdb "$@"
fi
