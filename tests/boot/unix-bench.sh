#!/usr/bin/env bash
# The UNIX personality's figures for `make bench` (not a test): unixbench
# (tests/unix/bench.c) as init, under -icount, on a copy of its image:
# getpid, fork+_exit+wait, fork+execve+wait of a small static program,
# a one-byte pipe round trip, a fault on a mapped file served from the
# file server's cache, and a 16 MiB read() per KiB, in guest
# instructions.  Appends them to $BENCH_FIGURES (build/bench/figures).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disks=build/test-disks
mkdir -p "$disks"
cp --sparse=always build/tests/unix/bench.img "$disks/unix-bench.img"
log=build/test-logs/unix_bench_icount.log
tests/qemu/boot.sh --name unix_bench_icount --kernel "$KERNEL" --log "$log" \
	--module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK_BENCH" \
	--module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/unixbench init-exit=halt" \
	--icount --timeout 300 \
	--qemu -drive --qemu "file=$disks/unix-bench.img,if=none,id=d0,format=raw,cache=unsafe" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--expect "^BENCH unix_pipe_round_trip_instructions [0-9]+" \
	--expect "^BENCH unix_file_fault_instructions [0-9]+" \
	--expect "^BENCH unix_read_16mib_instructions_per_kib [0-9]+" \
	--reject "unixbench: .* failed" >/dev/null ||
	{ echo "unix-bench failed (see $log)"; exit 1; }
sed -nE 's/^BENCH (unix_[a-z0-9_]+_instructions(_per_kib)?) ([0-9]+)\r?$/\1 \3/p' "$log" \
	>>"$BENCH_FIGURES"
rm -f "$disks/unix-bench.img"
