#!/usr/bin/env bash
# Device capabilities: the guest program devicetest (tests/guest/device/)
# checks I/O-port grants, interrupts as messages with their acks (on the
# CMOS clock's line), device memory and DMA buffers, and every refusal,
# printing its own TAP.  It is started with the word "devices", which
# makes bootstrap give it the device master port.  Under -icount, so that
# its timeouts are exact.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot device_capabilities --module "$BOOTSTRAP" --module "$DEVICETEST devices" --guest-tap \
	--icount --timeout 300 --log build/test-logs/device_capabilities.log \
	--expect "^# devicetest: [0-9]+ passed, 0 failed$" \
	--reject "^devicetest: unknown role" --reject "panic"
exit $failed
