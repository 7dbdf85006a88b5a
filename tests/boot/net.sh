#!/usr/bin/env bash
# The virtio-net driver (servers/net): nettest (tests/guest/net/) on
# QEMU's user-mode network.  A frame from the host (the gateway's ARP
# answer) must reach the guest, and the frame the guest sent must be in
# the dump QEMU makes of the link (filter-dump): the host saw it.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

NET=${NET:-build/servers/net/net}
NETTEST=${NETTEST:-build/tests/guest/nettest}
dump=build/test-logs/net.pcap
rm -f "$dump"

boot network_card --module "$BOOTSTRAP" --module "$NET devices" --module "$NETTEST" \
	--guest-tap --timeout 120 \
	--qemu -netdev --qemu user,id=n0 --qemu -device --qemu virtio-net-pci,netdev=n0 \
	--qemu -object --qemu "filter-dump,id=f0,netdev=n0,file=$dump" \
	--expect "^# nettest: [0-9]+ passed, 0 failed$" --expect "^net: 1 card$" \
	--reject "panic"

# The guest's ARP request (broadcast, from QEMU's default address), as
# the host's side of the link recorded it.
request=ffffffffffff5254001234560806000108000604000152540012345
if [ -f "$dump" ] && od -An -tx1 -v "$dump" | tr -d ' \n' | grep -q "$request"; then
	echo "ok - network_card: the_guests_frame_is_seen_on_the_host_side"
else
	echo "not ok - network_card: the_guests_frame_is_seen_on_the_host_side"
	echo "# no ARP request from 52:54:00:12:34:56 in $dump"
	failed=1
fi
exit $failed
