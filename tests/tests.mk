# Whole-system tests under QEMU (tests/boot/*.sh, each a TAP suite).

BOOT_TEST_DEPS := $(KERNEL_ELF) $(KERNEL_ELF32) $(BOOT_MODULES) $(ISO) $(GUEST_PROGRAMS) \
	$(MEMPAGER)

TEST_DEPS += $(BOOT_TEST_DEPS)
TEST_SUITES += tests/boot/selftest.sh tests/boot/bad-input.sh \
	tests/boot/exceptions.sh tests/bench/compare-test.sh \
	tests/boot/bench-guard.sh tests/boot/gdb.sh \
	tests/boot/grub.sh tests/boot/tasks.sh tests/boot/ipc.sh \
	tests/boot/pager.sh tests/boot/vm.sh tests/boot/device.sh tests/boot/pageout.sh \
	tests/boot/shell.sh

# The benchmark guard (tests/boot/bench-guard.sh) boots unixbench and
# netbench from their images too.
TEST_DEPS += $(UNIX_BENCH_IMAGE) $(NETBENCH_IMAGE)
