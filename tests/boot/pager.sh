#!/usr/bin/env bash
# The external pager protocol: the guest program pagertest
# (tests/guest/pager/) maps memory objects of mempager (servers/mempager,
# built on servers/libpager) and of pagers it plays itself, misbehaving on
# purpose, and checks what the threads touching them get: the data, or
# the exception that says why not; it builds waits-for cycles of pagers
# with helper copies of itself (role=cycle), and replaces the pagers of
# mapped objects, mempager's among them; it starts pagerstat (bin/pagerstat),
# whose rows are checked here.  Under -icount, so that its deadlines
# are exact; the kernel's pager deadline is shortened to 500 ms
# (DEADLINE_MS in tests/guest/pager/pagertest.h) to keep the boot short.
# mempager's objects are used only as the protocol means, so libpager
# never has a message of the kernel's to refuse.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

# pagerstat's row of the object observe.c shows it: 4 pages, 2 resident,
# policy zero, deadline 1234 ms, 2 pages asked and supplied, no trouble.
shown_row="^pagerstat: +[0-9]+ +[0-9]+ +16K +2 zero +1234ms +2 +2 +0 +0 +0 +0 +0 +0 +0"
shown_row="$shown_row <[0-9]+us +<[0-9]+us +ready$"
boot external_pagers --module "$BOOTSTRAP" --module "$MEMPAGER" --module "$FAULTPAGER" \
	--module "$PAGERTEST" --module "$PAGERSTAT" \
	--append "pager_deadline=500" --guest-tap --icount --timeout 300 \
	--log build/test-logs/external_pagers.log \
	--expect "^mempager: serving$" \
	--expect "^faultpager: faultpager serving, mode none arg 0 after 0$" \
	--expect "^pagerstat: +object task +size +res policy +deadline requests supplied " \
	--expect "$shown_row" \
	--expect "^pagerstat: +[0-9]+ latency: <[0-9]+us 2$" \
	--expect "^pagerstat: +[0-9]+ +[0-9]+ +[0-9]+ +0 data +[0-9]+ms never +[0-9]+ wait +live$" \
	--expect "^pagerstat: objects with a pager: [0-9]+$" \
	--expect "^pagerstat: threads waiting on a pager: 1 \\(1 shown\\), on a cycle: 0$" \
	--expect "^# pagertest: [0-9]+ passed, 0 failed$" \
	--reject "^pagertest: unknown role" --reject "^mempager: (cannot|the receive loop)" \
	--reject "^libpager: " --reject "^pagerstat: (bad|cannot)" --reject "panic"
exit $failed
