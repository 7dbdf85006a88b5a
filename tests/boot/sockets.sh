#!/usr/bin/env bash
# Sockets (docs/network.md): the UNIX server starts sockettest
# (tests/unix/sockets.c) as its first process, with the network driver
# and the network server on QEMU's user network; sockettest prints its
# own TAP.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

INET=${INET:-build/servers/inet/inet}
NET=${NET:-build/servers/net/net}
disk=$(test_disk sockets build/tests/unix/sockets.img)

boot sockets --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$NET devices" --module "$EXT2FS" --module "$PROC" \
	--module "$EMUL init=/bin/sockettest init-exit=halt" --module "$INET" \
	--guest-tap --timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--qemu -netdev --qemu user,id=n0 --qemu -device --qemu virtio-net-pci,netdev=n0 \
	--expect "^# sockettest: [0-9]+ passed, 0 failed$" --reject "panic"
exit "${failed:-0}"
