# pagerstat (bin/pagerstat/): prints the kernel's record of its pagers as
# tables.  Not on the ISO yet (it has no shell to run it from):
# tests/boot/pager.sh boots it as a module, and pagertest starts it.
PAGERSTAT := $(BUILD)/bin/pagerstat/pagerstat
PAGERSTAT_OBJS := $(call user-objects,bin/pagerstat/main.c bin/pagerstat/table.c)
$(PAGERSTAT_OBJS): USER_EXTRA_CFLAGS := -Ikernel

$(PAGERSTAT): $(USER_CRT0) $(PAGERSTAT_OBJS) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(PAGERSTAT)

# Its tables' host test (bin/pagerstat/tests/), under AddressSanitizer
# and UBSan.
PAGERSTAT_TEST := $(BUILD)/bin/pagerstat/tests/table_test
$(PAGERSTAT_TEST): bin/pagerstat/tests/table_test.c bin/pagerstat/table.c \
		kernel/host_test_main.c kernel/host_test.h \
		bin/pagerstat/pagerstat.h kernel/kern/format.c
	@mkdir -p $(@D)
	$(IDL_HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		-DPAGODA_HOST -Ikernel -Ikernel/include -Ibin/pagerstat -o $@ $(filter %.c,$^)

TEST_DEPS += $(PAGERSTAT_TEST)
TEST_SUITES += $(PAGERSTAT_TEST)

# The same program for the shell (/bin/pagerstat, root only), its lines
# on stdout.
PAGERSTAT_UNIX := $(BUILD)/bin/pagerstat/unix/pagerstat
PAGERSTAT_UNIX_OBJS := $(call unix-objects,bin/pagerstat/main.c bin/pagerstat/table.c)
$(PAGERSTAT_UNIX_OBJS): UNIX_EXTRA_CFLAGS := -DPAGERSTAT_UNIX -Ikernel

$(PAGERSTAT_UNIX): $(UNIX_CRT0) $(PAGERSTAT_UNIX_OBJS) $(LIBUNIX) $(LIBMACH_UNIX) \
		scripts/cross/pagoda-cc
	$(unix-program-link)

UNIX_PROGRAMS += $(PAGERSTAT_UNIX)
TEST_DEPS += $(PAGERSTAT_UNIX)
