# Guest programs: user programs that test and measure the kernel from the
# inside.  tests/boot/tasks.sh and `make bench` boot them as modules after
# bootstrap; they are not on the ISO.  See tests/guest/README.md.

USERTEST := $(BUILD)/tests/guest/usertest
GUEST_BENCH := $(BUILD)/tests/guest/bench
USERTEST_SRC := tests/guest/main.c tests/guest/sched.c tests/guest/state.c \
	tests/guest/faults.c tests/guest/traps.c tests/guest/lifecycle.c

$(USERTEST): $(USER_CRT0) $(call user-objects,$(USERTEST_SRC)) $(LIBMACH)
	$(user-link)

$(GUEST_BENCH): $(USER_CRT0) $(call user-objects,tests/guest/bench.c) $(LIBMACH)
	$(user-link)

GUEST_PROGRAMS := $(USERTEST) $(GUEST_BENCH)
