#!/usr/bin/env bash
# make test's part of the study: tests/study/run.sh quick.
exec "$(dirname "$0")/run.sh" quick
