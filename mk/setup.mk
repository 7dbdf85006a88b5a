# Set-up: what the build takes from outside the tree.  See docs/setup.md.
#
#   $(STAMP)/packages  Debian packages and a deb-src entry for apt
#   $(STAMP)/newlib    newlib 3.3.0, built for x86_64-elf, in $(SYSROOT)
#   $(STAMP)/lwip      lwIP 2.1.3 source, unpatched, in $(LWIP_DIR)
#
# A stamp is touched only after its step succeeded; remove it to redo the
# step.  Each script removes its own output first, so a failed or
# interrupted step is simply run again.  A step also reruns when its script
# changes or its output has gone missing.

SETUP_DIR := $(BUILD)/third_party

# newlib as a sysroot laid out the way `gcc --sysroot=$(SYSROOT)` searches:
# headers in usr/include, libc.a and libm.a in usr/lib.
SYSROOT := $(BUILD)/sysroot
SYSROOT_INCLUDE := $(SYSROOT)/usr/include
SYSROOT_LIB := $(SYSROOT)/usr/lib

# The host's gcc and binutils under cross names: $(CROSS_PREFIX)gcc,
# $(CROSS_PREFIX)ld, ...  They compile and link user programs against the
# sysroot; see scripts/cross/x86_64-elf-gcc for the flags they add.
CROSS_DIR := scripts/cross
CROSS_PREFIX := $(CROSS_DIR)/x86_64-elf-

LWIP_DIR := $(SETUP_DIR)/lwip-2.1.3

# The wrappers find the sysroot through this; the set-up tests use both.
export PAGODA_SYSROOT := $(abspath $(SYSROOT))
export PAGODA_LWIP_DIR := $(abspath $(LWIP_DIR))

.PHONY: setup setup-redo
setup: $(STAMP)/packages $(STAMP)/newlib $(STAMP)/lwip

# Makes a stamp out of date whose output was deleted behind make's back.
setup-redo:

$(STAMP)/packages: scripts/setup-packages.sh
	@mkdir -p $(@D)
	scripts/setup-packages.sh
	@touch $@

# NEWLIB_JOBS=N on the command line sets newlib's own parallelism.
$(STAMP)/newlib: scripts/build-newlib.sh $(CROSS_DIR)/x86_64-elf-gcc \
		$(CROSS_DIR)/x86_64-elf-binutils \
		$(if $(wildcard $(SYSROOT_LIB)/libc.a),,setup-redo) | $(STAMP)/packages
	@mkdir -p $(@D)
	scripts/build-newlib.sh $(SETUP_DIR) $(SYSROOT)
	@touch $@

$(STAMP)/lwip: scripts/fetch-lwip.sh \
		$(if $(wildcard $(LWIP_DIR)/src/include/lwip/init.h),,setup-redo) \
		| $(STAMP)/packages
	@mkdir -p $(@D)
	scripts/fetch-lwip.sh $(SETUP_DIR)
	@touch $@

TEST_DEPS += $(STAMP)/newlib $(STAMP)/lwip
TEST_SUITES += tests/setup/check-third-party.sh
