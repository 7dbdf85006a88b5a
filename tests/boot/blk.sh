#!/usr/bin/env bash
# The virtio-blk driver (servers/blk): blktest (tests/guest/blk/) against
# two disks of 8 MiB, in three boots.  The first checks every routine and
# refusal and leaves a pattern flushed on both disks; the second, on the
# same disk images, reads it back (data outlives the machine); the third
# throttles disk0 so that it answers far slower than the driver's
# deadline (timeout_ms=200), and checks that the request times out with
# an error and the driver carries on.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

BLKTEST=${BLKTEST:-build/tests/guest/blktest}
disks=build/test-disks
mkdir -p "$disks"
rm -f "$disks/blk0.img" "$disks/blk1.img"
truncate -s 8M "$disks/blk0.img" "$disks/blk1.img"

# drive N FILE [OPTIONS]: a virtio-blk disk on its own PCI function.
drive() {
	echo "--qemu -drive --qemu file=$2,if=none,id=d$1,format=raw$3 --qemu -device" \
	     "--qemu virtio-blk-pci,drive=d$1"
}

blk_boot() {
	local name=$1 phase=$2 driver_args=$3 opts0=$4
	# shellcheck disable=SC2046
	boot "$name" --module "$BOOTSTRAP" --module "$BLK devices$driver_args" \
		--module "$BLKTEST phase=$phase" --guest-tap --timeout 120 \
		$(drive 0 "$disks/blk0.img" "$opts0") $(drive 1 "$disks/blk1.img") \
		--expect "^# blktest: [0-9]+ passed, 0 failed$" --expect "^blk: 2 disks$" \
		--reject "panic"
}

blk_boot block_devices run "" ""
blk_boot block_data_outlives_the_machine verify "" ""
blk_boot block_request_timeout timeout " timeout_ms=200" \
	",throttling.bps-total=65536,throttling.bps-total-max=65536"
exit $failed
