#!/usr/bin/env bash
# Page-out's figures for `make bench` (not a test): pageouttest
# phase=bench writes twice a 48 MiB machine in anonymous memory, so that
# the default pager stores most of it on a swap disk, then reads it back.
# Under -icount it reports guest instructions per page out and per page
# in (all the system's: the fault, the daemon, the default pager, the
# disk driver; halted time taken out); a second boot without -icount
# reports pages per second of wall time.  Appends them to
# $BENCH_FIGURES (build/bench/figures).  Under -icount the guest's clock leaps while the
# processor halts for the disk, so the waits on memory and on pagers get
# deadlines of an hour (kernel options memory_wait, pager_deadline).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

DEFAULT_PAGER=${DEFAULT_PAGER:-build/servers/default_pager/default_pager}
disks=build/test-disks
mkdir -p "$disks"

bench_boot() {  # NAME [--icount]
	rm -f "$disks/swap-bench.img"
	truncate -s 256M "$disks/swap-bench.img"
	tests/qemu/boot.sh --name "$1" --kernel "$KERNEL" --module "$BOOTSTRAP" \
		--module "$DEFAULT_PAGER wired swap=disk0" --module "$BLK_BENCH wired" \
		--module "$PAGEOUTTEST phase=bench" --guest-tap $2 --timeout 600 --memory 48 \
		--append "memory_wait=3600000 pager_deadline=3600000" \
		--qemu -drive --qemu "file=$disks/swap-bench.img,if=none,id=swap,format=raw" \
		--qemu -device --qemu virtio-blk-pci,drive=swap \
		--expect "^BENCH pagein_" >/dev/null || { echo "pageout-bench: $1 failed"; exit 1; }
	rm -f "$disks/swap-bench.img"
}

bench_boot pageout_bench_icount --icount
sed -nE 's/^BENCH (page(out|in)_instructions_per_page) ([0-9]+)\r?$/\1 \3/p' \
	build/test-logs/pageout_bench_icount.log >>"$BENCH_FIGURES"
bench_boot pageout_bench_wall
sed -nE 's/^BENCH (page(out|in)_pages_per_s) ([0-9]+)\r?$/\1 \3/p' \
	build/test-logs/pageout_bench_wall.log >>"$BENCH_FIGURES"
