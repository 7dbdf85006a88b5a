# sh (bin/sh/): the shell, a UNIX program on the system's disk.  It is
# written against POSIX alone: its tests (bin/sh/tests/run.sh) run a
# build of it for the host, under AddressSanitizer and UBSan.
SH := $(BUILD)/bin/sh/sh
SH_SRC := $(wildcard bin/sh/*.c)

$(SH): $(UNIX_CRT0) $(call unix-objects,$(SH_SRC)) $(LIBUNIX) $(LIBMACH_UNIX) \
		scripts/cross/pagoda-cc
	$(unix-program-link)

SH_HOST := $(BUILD)/bin/sh/host/sh
$(SH_HOST): $(SH_SRC) bin/sh/sh.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(IDL_HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		-o $@ $(SH_SRC)

UNIX_PROGRAMS += $(SH)
TEST_DEPS += $(SH) $(SH_HOST)
TEST_SUITES += bin/sh/tests/run.sh
