#!/usr/bin/env bash
# The file server's figures for `make bench` (not a test): fstest
# role=bench (tests/guest/fs/bench.c) on a copy of the system's disk
# writes a file of 16 MiB and fsyncs it, reads it back, and makes 1,000
# small files.  Under -icount it reports guest instructions (per KiB, per
# file); a second boot without -icount reports the wall-clock rates.
# Appends both to $BENCH_FIGURES (build/bench/figures).
#
#   tests/boot/fs-bench.sh [--icount-only]
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

FSTEST=${FSTEST:-build/tests/guest/fstest}
disks=build/test-disks
mkdir -p "$disks"

# Under -icount the guest's clock leaps ahead while it waits for the
# disk, so a host flush (fdatasync) that takes a real moment would time
# out: that boot's disk ignores flushes (cache=unsafe), which cost the
# guest no instructions anyway.
bench_boot() {  # NAME CACHE [--icount]
	cp --sparse=always build/root.img "$disks/fs-bench.img"
	tests/qemu/boot.sh --name "$1" --kernel "$KERNEL" --module "$BOOTSTRAP" \
		--module "$BLK_BENCH" --module "$EXT2FS" --module "$FSTEST role=bench" \
		--guest-tap $3 --timeout 300 --memory 256 \
		--qemu -drive --qemu "file=$disks/fs-bench.img,if=none,id=d0,format=raw,cache=$2" \
		--qemu -device --qemu virtio-blk-pci,drive=d0 \
		--expect "^BENCH fs_create_1000_files_" >/dev/null || { echo "fs-bench: $1 failed"; exit 1; }
}

bench_boot fs_bench_icount unsafe --icount
sed -nE 's/^BENCH (fs_[a-z0-9_]+_instructions_per_[a-z]+) ([0-9]+)\r?$/\1 \2/p' \
	build/test-logs/fs_bench_icount.log >>"$BENCH_FIGURES"
# The guard in make test (tests/boot/bench-guard.sh) takes only these.
[ "${1:-}" = --icount-only ] && exit 0
bench_boot fs_bench_wall writeback
sed -nE 's/^BENCH (fs_[a-z0-9_]+_(kb_per_s|ms)) ([0-9]+)\r?$/\1 \3/p' \
	build/test-logs/fs_bench_wall.log >>"$BENCH_FIGURES"
rm -f "$disks/fs-bench.img"
