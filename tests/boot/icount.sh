#!/usr/bin/env bash
# Measurement mode: under -icount shift=0,sleep=off a guest rdtsc difference
# is the number of guest instructions, so every figure is the same on every
# run.  The kernel's `bench` option prints the kernel's figures as
# "BENCH name value" lines and goes on to start bootstrap, which starts the
# bench program (tests/guest/bench.c); it prints the user-level figures and
# stops the machine.  Two runs must report every figure, identically.
#
# Writes all the figures in the order reported to $BENCH_FIGURES
# (build/bench/figures) as "name value" lines, a fresh file that the
# other bench scripts append to (`make bench`, tests/bench/run.sh).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

required="kernel_init_instructions null_trap_instructions thread_switch_instructions
thread_switch_directed_instructions"
ipc_required="own_port_send_receive_instructions null_rpc_raw_instructions
null_rpc_stub_instructions kernel_rpc_stub_instructions name_lookup_stub_instructions inline_1k_rpc_instructions
port_right_rpc_instructions"
vm_required="zero_fill_fault_instructions cow_fault_instructions pager_fault_instructions pager_fault_copy_instructions
ool_1mib_instructions ool_16mib_instructions"

expects=()
for f in $required; do
	expects+=(--expect "^BENCH $f [0-9]+\$")
done

ipc_expects=()
for f in $ipc_required; do
	ipc_expects+=(--expect "^BENCH $f [0-9]+\$")
done
vm_expects=()
for f in $vm_required; do
	vm_expects+=(--expect "^BENCH $f [0-9]+\$")
done

# run N: the measured boots (the kernel's and bench's figures, then
# ipcbench's), their figures in build/test-logs/icount_run_N.figures.
run() {
	local log=build/test-logs/icount_run_$1.log ipclog=build/test-logs/icount_ipc_run_$1.log out
	local vmlog=build/test-logs/icount_vm_run_$1.log
	out=$(tests/qemu/boot.sh --name "icount_run_$1" --kernel "$KERNEL" --log "$log" \
		--module "$BOOTSTRAP" --module "$BENCH" --append bench --icount "${expects[@]}") ||
		printf '%s\n' "$out" | sed 's/^/# /'
	out=$(tests/qemu/boot.sh --name "icount_ipc_run_$1" --kernel "$KERNEL" --log "$ipclog" \
		--module "$BOOTSTRAP" --module "$IPCBENCH" --icount "${ipc_expects[@]}") ||
		printf '%s\n' "$out" | sed 's/^/# /'
	out=$(tests/qemu/boot.sh --name "icount_vm_run_$1" --kernel "$KERNEL" --log "$vmlog" \
		--module "$BOOTSTRAP" --module "$VMBENCH" --icount "${vm_expects[@]}") ||
		printf '%s\n' "$out" | sed 's/^/# /'
	cat "$log" "$ipclog" "$vmlog" | sed -nE 's/^BENCH ([a-z0-9_]+) ([0-9]+)$/\1 \2/p' \
		>"build/test-logs/icount_run_$1.figures"
}

value() {  # value NAME RUN
	awk -v n="$1" '$1 == n { print $2; exit }' "build/test-logs/icount_run_$2.figures"
}

run 1
run 2
names=$( (printf '%s\n' $required $ipc_required $vm_required; cut -d' ' -f1 build/test-logs/icount_run_1.figures) |
	awk '!seen[$0]++')
: >"$BENCH_FIGURES"
for name in $names; do
	a=$(value "$name" 1) b=$(value "$name" 2)
	if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" -gt 0 ]; then
		echo "ok - icount_${name}_is_reported_and_repeatable # $a"
		echo "$name $a" >>"$BENCH_FIGURES"
	else
		echo "not ok - icount_${name}_is_reported_and_repeatable"
		echo "# run 1: '$a', run 2: '$b' (see build/test-logs/icount_run_*.log)"
		failed=1
	fi
done
exit $failed
