#!/usr/bin/env bash
# The kernel's self-tests (test=all), each reported as its own result.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

boot kernel_selftests --module "$BOOTSTRAP" --append "test=all" --guest-tap \
	--expect "^ktest: [0-9]+ passed, 0 failed$"
# A selection that names no test must fail, not pass quietly.
boot kernel_selftest_typo_is_a_failure --module "$BOOTSTRAP" --append "test=heap,nosuchtest" \
	--expect-status test-failed --expect "no test or group is named 'nosuchtest'"
exit $failed
