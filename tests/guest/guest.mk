# Guest programs: user programs that test and measure the kernel from the
# inside.  tests/boot/*.sh and `make bench` boot them as modules after
# bootstrap; they are not on the ISO.  See tests/guest/README.md.

USERTEST := $(BUILD)/tests/guest/usertest
GUEST_BENCH := $(BUILD)/tests/guest/bench
USERTEST_SRC := tests/guest/main.c tests/guest/helpers.c tests/guest/handler.c \
	tests/guest/sched.c tests/guest/state.c tests/guest/faults.c \
	tests/guest/exceptions.c tests/guest/traps.c tests/guest/rights.c \
	tests/guest/lifecycle.c tests/guest/args.c

$(USERTEST): $(USER_CRT0) $(call user-objects,$(USERTEST_SRC)) $(LIBMACH)
	$(user-link)

$(GUEST_BENCH): $(USER_CRT0) $(call user-objects,tests/guest/bench.c) $(LIBMACH)
	$(user-link)

# ipctest: ports and messages (tests/guest/ipc/).
IPCTEST := $(BUILD)/tests/guest/ipctest
IPCTEST_SRC := $(wildcard tests/guest/ipc/*.c)

$(IPCTEST): $(USER_CRT0) $(call user-objects,$(IPCTEST_SRC)) $(LIBMACH)
	$(user-link)

# vmtest: virtual memory (tests/guest/vm/).
VMTEST := $(BUILD)/tests/guest/vmtest
VMTEST_SRC := $(wildcard tests/guest/vm/*.c)

$(VMTEST): $(USER_CRT0) $(call user-objects,$(VMTEST_SRC)) $(LIBMACH)
	$(user-link)

GUEST_PROGRAMS := $(USERTEST) $(GUEST_BENCH) $(IPCTEST) $(VMTEST)

# ipcbench: the IPC figures of make bench (tests/guest/ipcbench/), with the
# stubs of its own interface, ipcbench.defs.
IPCBENCH := $(BUILD)/tests/guest/ipcbench
IPCBENCH_GEN := $(BUILD)/tests/guest/ipcbench-gen
$(eval $(call idl_generate,$(IPCBENCH_GEN),tests/guest/ipcbench,))
IPCBENCH_OBJS := $(call user-objects,tests/guest/ipcbench/main.c) \
	$(USER_OBJ)/ipcbench-gen/ipcbenchUser.o $(USER_OBJ)/ipcbench-gen/ipcbenchServer.o
$(IPCBENCH_OBJS): USER_EXTRA_CFLAGS := -I$(IPCBENCH_GEN)
$(IPCBENCH_OBJS): | $(call idl_outputs,$(IPCBENCH_GEN),ipcbench)
$(USER_OBJ)/ipcbench-gen/%.o: $(IPCBENCH_GEN)/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) -c -o $@ $<
$(IPCBENCH): $(USER_CRT0) $(IPCBENCH_OBJS) $(LIBMACH)
	$(user-link)
GUEST_PROGRAMS += $(IPCBENCH)

# pagertest: the external pager protocol (tests/guest/pager/), against
# mempager and against pagers it plays itself with the protocol's stubs.
PAGERTEST := $(BUILD)/tests/guest/pagertest
PAGERTEST_OBJS := $(call user-objects,$(wildcard tests/guest/pager/*.c))
$(PAGERTEST_OBJS): USER_EXTRA_CFLAGS := -Iservers/mempager -Iservers/faultpager
$(PAGERTEST): $(USER_CRT0) $(PAGERTEST_OBJS) $(USER_OBJ)/gen/memory_objectServer.o \
		$(USER_OBJ)/gen/memory_object_controlUser.o $(USER_OBJ)/gen/mempagerUser.o \
		$(USER_OBJ)/gen/faultpagerUser.o \
		$(LIBMACH)
	$(user-link)
GUEST_PROGRAMS += $(PAGERTEST)

# vmbench: the VM figures of make bench (tests/guest/vmbench/), with a
# pager of its own on libpager.
VMBENCH := $(BUILD)/tests/guest/vmbench
VMBENCH_OBJS := $(call user-objects,tests/guest/vmbench/main.c)
$(VMBENCH_OBJS): USER_EXTRA_CFLAGS := -Iservers/libpager -Ikernel
$(VMBENCH): $(USER_CRT0) $(VMBENCH_OBJS) $(LIBPAGER) $(LIBMACH)
	$(user-link)
GUEST_PROGRAMS += $(VMBENCH)

# devicetest: the kernel's device capabilities (tests/guest/device/), on
# vmtest's helpers.
DEVICETEST := $(BUILD)/tests/guest/devicetest
DEVICETEST_OBJS := $(call user-objects,$(wildcard tests/guest/device/*.c) \
	tests/guest/vm/tap.c tests/guest/vm/util.c tests/guest/vm/exc.c)
$(call user-objects,$(wildcard tests/guest/device/*.c)): USER_EXTRA_CFLAGS := -Iservers/libdriver
$(DEVICETEST): $(USER_CRT0) $(DEVICETEST_OBJS) $(LIBMACH)
	$(user-link)
GUEST_PROGRAMS += $(DEVICETEST)

# pageouttest: page-out under memory pressure (tests/guest/pageout/), on
# vmtest's helpers; tests/boot/pageout.sh boots it on a small machine.
PAGEOUTTEST := $(BUILD)/tests/guest/pageouttest
PAGEOUTTEST_OBJS := $(call user-objects,tests/guest/pageout/main.c tests/guest/pageout/pagers.c \
	tests/guest/vm/tap.c tests/guest/vm/util.c tests/guest/vm/exc.c)
$(call user-objects,tests/guest/pageout/main.c tests/guest/pageout/pagers.c): \
	USER_EXTRA_CFLAGS := -Iservers/mempager -Iservers/libpager
$(PAGEOUTTEST): $(USER_CRT0) $(PAGEOUTTEST_OBJS) $(USER_OBJ)/gen/mempagerUser.o \
		$(USER_OBJ)/gen/default_pagerUser.o $(LIBPAGER) $(LIBMACH)
	$(user-link)
GUEST_PROGRAMS += $(PAGEOUTTEST)
