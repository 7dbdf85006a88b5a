#!/usr/bin/env bash
# Measurement mode: under -icount shift=0,sleep=off a guest rdtsc difference
# is the number of guest instructions, so the figure the kernel reports for
# its own initialisation is the same on every run.  Two runs must agree.
# Prints the figure to build/bench/kernel_init_instructions.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

figure() {
	tests/qemu/boot.sh --name "icount_run_$1" --kernel "$KERNEL" --module "$BOOTSTRAP" \
		--append bench --icount --expect "^BENCH kernel_init_instructions [0-9]+$" >/dev/null ||
		return 1
	sed -nE 's/^BENCH kernel_init_instructions ([0-9]+)$/\1/p' "build/test-logs/icount_run_$1.log"
}

a=$(figure 1) b=$(figure 2)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" -gt 0 ]; then
	echo "ok - icount_kernel_init_figure_is_reported_and_repeatable # $a instructions"
	mkdir -p build/bench
	echo "$a" >build/bench/kernel_init_instructions
else
	echo "not ok - icount_kernel_init_figure_is_reported_and_repeatable"
	echo "# run 1: '${a}', run 2: '${b}' (see build/test-logs/icount_run_*.log)"
	failed=1
fi
exit $failed
