#!/usr/bin/env bash
# make debug's script, driven by GDB in batch mode: GDB attaches to the
# halted guest, stops at kmain with the kernel's symbols and arguments.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

out=build/test-logs/gdb.log
mkdir -p build/test-logs
GDB_BATCH=1 GDB_PORT=$((20000 + $$ % 20000)) timeout 120 \
	scripts/debug.sh build/kernel/pagoda.elf "$KERNEL" "$BOOTSTRAP" >"$out" 2>&1
if grep -qE "^kmain in section \.text" "$out" &&
   grep -qE "^#0 +kmain \(magic=732803074, info_phys=[0-9]+\) at kernel/kern/main.c" "$out"; then
	echo "ok - gdb_attaches_and_stops_at_kmain_with_symbols"
else
	echo "not ok - gdb_attaches_and_stops_at_kmain_with_symbols"
	sed 's/^/# /' "$out" | tail -n 15
	failed=1
fi
exit $failed
