#!/usr/bin/env bash
# Sockets (docs/network.md): the UNIX server starts sockettest
# (tests/unix/sockets.c) as its first process, with the network driver
# and the network server on QEMU's user network, eth0 configured
# statically (ip=; DHCP is network.sh's); sockettest prints its own TAP.
# Then a configuration that is neither leaves the server on lo alone.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

INET=${INET:-build/servers/inet/inet}
NET=${NET:-build/servers/net/net}
disk=$(test_disk sockets build/tests/unix/sockets.img)

boot sockets --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$NET devices" --module "$EXT2FS" --module "$PROC" \
	--module "$EMUL init=/bin/sockettest init-exit=halt" \
	--module "$INET ip=10.0.2.15/24,10.0.2.2,10.0.2.3" \
	--guest-tap --timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--qemu -netdev --qemu user,id=n0 --qemu -device --qemu virtio-net-pci,netdev=n0 \
	--expect "^# sockettest: [0-9]+ passed, 0 failed$" \
	--expect "inet: eth0: 10\.0\.2\.15/24, gateway 10\.0\.2\.2$" --reject "panic"

boot inet_refuses_a_bad_configuration --module "$BOOTSTRAP" --module "$NET devices" \
	--module "$INET ip=10.0.2.15/33" --timeout 60 \
	--qemu -netdev --qemu user,id=n0 --qemu -device --qemu virtio-net-pci,netdev=n0 \
	--expect-status stopped --stop-at "^inet: eth0 could not be started: lo only$" \
	--expect "^inet: ip=10\.0\.2\.15/33: not dhcp or ADDRESS/BITS\[,GATEWAY\[,DNS\]\]$" \
	--reject "inet: eth0: 10" --reject "panic"
exit "${failed:-0}"
