#!/usr/bin/env bash
# The block driver's figure for `make bench` (not a test): blktest
# phase=bench reads 16 MiB of a virtio-blk disk sequentially in 128 KiB
# requests.  Under -icount it reports guest instructions per KiB; a
# second boot without -icount reports the wall-clock rate (KB/s of
# guest time, which then follows the host's clock).  Appends both to
# $BENCH_FIGURES (build/bench/figures).
#
#   tests/boot/blk-bench.sh [--icount-only]
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

BLKTEST=${BLKTEST:-build/tests/guest/blktest}
disks=build/test-disks
mkdir -p "$disks"
truncate -s 32M "$disks/bench0.img" "$disks/bench1.img"

bench_boot() {  # NAME [--icount]
	tests/qemu/boot.sh --name "$1" --kernel "$KERNEL" --module "$BOOTSTRAP" \
		--module "$BLK_BENCH" --module "$BLKTEST phase=bench" --guest-tap $2 \
		--timeout 300 --memory 256 \
		--qemu -drive --qemu "file=$disks/bench0.img,if=none,id=d0,format=raw" \
		--qemu -device --qemu virtio-blk-pci,drive=d0 \
		--qemu -drive --qemu "file=$disks/bench1.img,if=none,id=d1,format=raw" \
		--qemu -device --qemu virtio-blk-pci,drive=d1 \
		--expect "^BENCH blk_read_16mib_" >/dev/null || { echo "blk-bench: $1 failed"; exit 1; }
}

bench_boot blk_bench_icount --icount
sed -nE 's/^BENCH (blk_read_16mib_instructions_per_kib) ([0-9]+)\r?$/\1 \2/p' \
	build/test-logs/blk_bench_icount.log >>"$BENCH_FIGURES"
# The guard in make test (tests/boot/bench-guard.sh) takes only these.
[ "${1:-}" = --icount-only ] && exit 0
bench_boot blk_bench_wall
sed -nE 's/^BENCH (blk_read_16mib_kb_per_s) ([0-9]+)\r?$/\1 \2/p' \
	build/test-logs/blk_bench_wall.log >>"$BENCH_FIGURES"
