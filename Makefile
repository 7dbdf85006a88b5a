# Pagoda: the top-level build.
#
#   make          set up what is missing, build the kernel and build/os.iso
#   make run      ... and boot the ISO in QEMU on this terminal
#   make test     run every test; the last line is "N passed, N failed"
#   make debug    the system under QEMU's GDB stub, GDB attached
#   make bench    guest-instruction figures (QEMU -icount)
#   make setup    only the set-up: Debian packages, newlib, lwIP
#
# Everything generated goes under build/.  Each part of the system adds its
# rules in its own fragment (*.mk) and registers its tests in TEST_SUITES:
# commands that print TAP lines ("ok N - name" / "not ok N - name"), run
# and added up by tests/run-suites.sh.

BUILD := build
STAMP := $(BUILD)/.stamp

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

# Everything that a test needs built is added to TEST_DEPS; every suite to
# TEST_SUITES.
TEST_DEPS :=
TEST_SUITES :=

include mk/setup.mk
include idl/idl.mk
include kernel/kernel.mk
include libc/libc.mk
include libc/unix.mk
include servers/servers.mk
include emul/emul.mk
include bin/bin.mk
include tests/guest/guest.mk
include tests/unix/unix.mk
include tests/utils/utils.mk
include mk/iso.mk
include tests/tests.mk
include tests/study/study.mk

.PHONY: all test clean distclean
all: $(BUILD)/os.iso

test: $(TEST_DEPS)
	@tests/run-suites.sh $(TEST_SUITES)

# Keeps the set-up (packages are system-wide anyway; newlib and lwIP are
# slow to rebuild) and make run's disks, which hold the user's data.
clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name sysroot ! -name third_party \
		! -name .stamp ! -name disks -exec rm -rf {} +

distclean:
	rm -rf $(BUILD)
