#!/usr/bin/env bash
# Ports and messages: the guest program ipctest (tests/guest/ipc/) checks
# rights, dispositions, names, notifications, queues, port sets, message
# sizes, hostile arguments, messages between tasks, the name service, and
# runs the message fuzzer, printing its own TAP results.  Under -icount,
# so that its timeouts are exact.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot ports_and_messages --module "$BOOTSTRAP" --module "$IPCTEST" --guest-tap \
	--icount --timeout 300 --log build/test-logs/ports_and_messages.log \
	--expect "^# ipctest: [0-9]+ passed, 0 failed$" \
	--reject "^ipctest: unknown role" --reject "panic"
exit $failed
