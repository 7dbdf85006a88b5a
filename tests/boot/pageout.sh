#!/usr/bin/env bash
# Page-out under memory pressure: the guest program pageouttest
# (tests/guest/pageout/) runs on a 48 MiB machine and touches more memory
# than it has, so that the page-out daemon must give pages back to their
# pagers and take them in again; every word written must survive.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot pageout_external --module "$BOOTSTRAP" --module "$MEMPAGER" --module "$PAGEOUTTEST" \
	--memory 48 --guest-tap --timeout 300 \
	--log build/test-logs/pageout_external.log \
	--expect "^mempager: serving$" \
	--expect "^# pageouttest: [0-9]+ passed, 0 failed$" \
	--reject "^mempager: (cannot|the receive loop)" --reject "^libpager: " \
	--reject "panic"
exit $failed
