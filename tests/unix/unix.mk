# unixtest (tests/unix/): the UNIX personality's conformance suite, a
# newlib program; tests/boot/unix.sh boots it as the first process, from
# its own copy of the system's disk with unixtest in /bin.
UNIXTEST := $(BUILD)/tests/unix/unixtest
UNIXTEST_OBJS := $(call unix-objects,$(addprefix tests/unix/,main.c file.c pipe.c \
	process.c stress.c signal.c))

$(UNIXTEST): $(UNIX_CRT0) $(UNIXTEST_OBJS) $(LIBUNIX) $(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

UNIX_IMAGE := $(BUILD)/tests/unix/unix.img
$(UNIX_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(UNIXTEST) | $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(UNIXTEST)

TEST_DEPS += $(UNIXTEST) $(UNIX_IMAGE)
TEST_SUITES += tests/boot/unix.sh
