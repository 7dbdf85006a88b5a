#!/usr/bin/env bash
# The network's figures for `make bench` (not a test): netbench
# (tests/unix/netbench.c) as init sends 16 MiB to the host and receives
# 16 MiB from it over TCP, through QEMU's user network to
# net-bench-peer.py (a guestfwd at 10.0.2.100).  Under -icount it reports
# guest instructions per KiB; a second boot without -icount reports the
# rate in KB/s of wall time.  Appends both to $BENCH_FIGURES
# (build/bench/figures).
#
#   tests/boot/net-bench.sh [--icount-only]
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

INET=${INET:-build/servers/inet/inet}
NET=${NET:-build/servers/net/net}
disks=build/test-disks
mkdir -p "$disks"
peer="python3 $PWD/tests/boot/net-bench-peer.py"
netdev="user,id=n0,guestfwd=tcp:10.0.2.100:5001-cmd:$peer sink"
netdev="$netdev,guestfwd=tcp:10.0.2.100:5002-cmd:$peer source"

bench_boot() {  # NAME [--icount]
	cp --sparse=always build/tests/unix/netbench.img "$disks/$1.img"
	tests/qemu/boot.sh --name "$1" --kernel "$KERNEL" --module "$BOOTSTRAP" \
		--module "$CONSOLE devices" --module "$BLK_BENCH" --module "$NET devices" \
		--module "$EXT2FS" --module "$PROC" \
		--module "$EMUL init=/bin/netbench init-exit=halt" --module "$INET" $2 \
		--timeout 300 --memory 256 \
		--qemu -drive --qemu "file=$disks/$1.img,if=none,id=d0,format=raw,cache=unsafe" \
		--qemu -device --qemu virtio-blk-pci,drive=d0 \
		--qemu -netdev --qemu "$netdev" --qemu -device --qemu virtio-net-pci,netdev=n0 \
		--expect "^# netbench: done" >/dev/null || { echo "net-bench: $1 failed"; exit 1; }
	rm -f "$disks/$1.img"
}

bench_boot net_bench_icount --icount
sed -nE 's/^BENCH (net_tcp_[a-z]+_16mib_instructions_per_kib) ([0-9]+)\r?$/\1 \2/p' \
	build/test-logs/net_bench_icount.log >>"$BENCH_FIGURES"
# The guard in make test (tests/boot/bench-guard.sh) takes only these.
[ "${1:-}" = --icount-only ] && exit 0
bench_boot net_bench_wall
sed -nE 's/^BENCH (net_tcp_[a-z]+_16mib_kb_per_s) ([0-9]+)\r?$/\1 \2/p' \
	build/test-logs/net_bench_wall.log >>"$BENCH_FIGURES"
