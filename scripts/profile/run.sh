#!/usr/bin/env bash
# Where the instructions go (docs/performance.md, "Where a round trip
# goes"): boots the kernel under -icount, halted, with GDB attached;
# breaks at FUNCTION after IGNORE hits, then steps STEPS instructions and
# writes each one's pc to OUT.  Then:
#   scripts/profile/functions.py OUT USER_ELF    instructions per function, in order
#   scripts/profile/lines.py OUT FROM TO          per source line, for steps FROM..TO
#
#   scripts/profile/run.sh OUT FUNCTION IGNORE STEPS MODULE...
# e.g. the raw RPC round trip:
#   scripts/profile/run.sh build/rpc.pcs trap_mach_msg 4800 2000 \
#       build/servers/bootstrap/bootstrap build/tests/guest/ipcbench
set -eu
cd "$(dirname "$0")/../.."
[ $# -ge 5 ] || { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
out=$1 func=$2 ignore=$3 steps=$4
shift 4
modules=$(IFS=,; echo "$*")
port=${GDB_PORT:-1240}
qemu-system-x86_64 -accel tcg -m 128 -kernel "${KERNEL:-build/kernel/pagoda32.elf}" \
	-initrd "$modules" -icount shift=0,sleep=off -rtc clock=vm -display none -monitor none \
	-serial file:build/profile-serial.log -no-reboot -S -gdb "tcp:127.0.0.1:$port" &
PROF_FUNC=$func PROF_IGNORE=$ignore PROF_STEPS=$steps PROF_OUT=$out timeout 600 \
	gdb -batch -nx -q "${KERNEL_ELF:-build/kernel/pagoda.elf}" \
	-ex "set architecture i386:x86-64" -ex "target remote 127.0.0.1:$port" \
	-x scripts/profile/trace.py >build/profile-gdb.log 2>&1 || true
wait
[ -s "$out" ] || { echo "profile: no trace (see build/profile-gdb.log)" >&2; exit 1; }
