#!/usr/bin/env bash
# The external pager protocol: the guest program pagertest
# (tests/guest/pager/) maps memory objects of mempager (servers/mempager,
# built on servers/libpager) and of pagers it plays itself, misbehaving on
# purpose, and checks what the threads touching them get: the data, or
# the exception that says why not; it builds waits-for cycles of pagers
# with helper copies of itself (role=cycle), and replaces the pagers of
# mapped objects, mempager's among them.  Under -icount, so that its deadlines
# are exact; the kernel's pager deadline is shortened to 500 ms
# (DEADLINE_MS in tests/guest/pager/pagertest.h) to keep the boot short.
# mempager's objects are used only as the protocol means, so libpager
# never has a message of the kernel's to refuse.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot external_pagers --module "$BOOTSTRAP" --module "$MEMPAGER" --module "$FAULTPAGER" \
	--module "$PAGERTEST" \
	--append "pager_deadline=500" --guest-tap --icount --timeout 300 \
	--log build/test-logs/external_pagers.log \
	--expect "^mempager: serving$" \
	--expect "^faultpager: faultpager serving, mode none arg 0 after 0$" \
	--expect "^# pagertest: [0-9]+ passed, 0 failed$" \
	--reject "^pagertest: unknown role" --reject "^mempager: (cannot|the receive loop)" \
	--reject "^libpager: " --reject "panic"
exit $failed
