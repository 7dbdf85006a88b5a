#!/usr/bin/env bash
# Virtual memory: the guest program vmtest (tests/guest/vm/) checks every
# call of vm_map.defs and vm_wire with the errors each lists, lazy
# zero-filled memory, copies (vm_read, vm_write, vm_copy, 16 MiB out of
# line) that later writes on either side do not reach, what a child of
# task_create with inherit_memory gets, copy-on-write chains over a
# thousand copies, and kernel memory after it all, printing its own TAP
# results.  Under -icount, so that its timeouts are exact.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot virtual_memory --module "$BOOTSTRAP" --module "$VMTEST" --guest-tap \
	--icount --timeout 300 --log build/test-logs/virtual_memory.log \
	--expect "^# vmtest: [0-9]+ passed, 0 failed$" \
	--reject "^vmtest: unknown role" --reject "panic"
exit $failed
