# The bootable image: GRUB 2 for BIOS (grub-mkrescue), the kernel (64-bit
# ELF, loaded by multiboot2) and the boot modules; and the ways to start it.

ISO := $(BUILD)/os.iso
ISO_ROOT := $(BUILD)/iso
QEMU := qemu-system-x86_64 -accel tcg
RUN_MEMORY ?= 256

$(ISO): mk/grub.cfg $(KERNEL_ELF) $(BOOT_MODULES) $(BOOT_DRIVERS) $(BOOT_SERVERS) \
		| $(STAMP)/packages
	rm -rf $(ISO_ROOT)
	mkdir -p $(ISO_ROOT)/boot/grub
	cp mk/grub.cfg $(ISO_ROOT)/boot/grub/grub.cfg
	cp $(KERNEL_ELF) $(ISO_ROOT)/boot/pagoda.elf
	cp $(BOOT_MODULES) $(BOOT_DRIVERS) $(BOOT_SERVERS) $(ISO_ROOT)/boot/
	grub-mkrescue -d /usr/lib/grub/i386-pc -o $@ $(ISO_ROOT) 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# The system's disk (docs/fs.md): an ext2 image of 64 MiB made with
# mke2fs -d from rootfs/, the root layout and the programs of bin/.
ROOT_IMAGE := $(BUILD)/root.img
ROOT_PROGRAMS := $(UNIX_PROGRAMS)
$(ROOT_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(ROOT_PROGRAMS) \
		| $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(ROOT_PROGRAMS)

TEST_DEPS += $(ROOT_IMAGE)

# The disks make run attaches: the file system's starts as a copy of the
# system's disk, the swap disk empty (scripts/qemu-devices.sh makes it,
# sparse); both are kept with their data afterwards (make clean leaves
# them, make distclean removes them).
RUN_DISKS := $(BUILD)/disks/fs.img $(BUILD)/disks/swap.img
$(BUILD)/disks/fs.img: | $(ROOT_IMAGE)
	@mkdir -p $(@D)
	cp --sparse=always $(ROOT_IMAGE) $@

.PHONY: run debug bench bench-baseline
# The serial console is this terminal; Ctrl-A X leaves QEMU.
run: $(STAMP)/newlib $(STAMP)/lwip $(ISO) $(BUILD)/disks/fs.img
	@echo "Booting $(ISO) in QEMU; leave with Ctrl-A X."
	$(QEMU) -m $(RUN_MEMORY) -nographic -no-reboot -cdrom $(ISO) -boot d \
		$$(scripts/qemu-devices.sh $(RUN_DISKS))

# The system as make run boots it, halted under QEMU's GDB stub, and GDB
# attached and stopped at kmain (docs/debugging.md).
debug: $(STAMP)/newlib $(STAMP)/lwip $(ISO) $(BUILD)/disks/fs.img
	KERNEL_ELF=$(KERNEL_ELF) scripts/debug.sh iso $(ISO) $(RUN_DISKS)

# Runs each bench script BENCH_RUNS times (default 3; tests/bench/run.sh):
# the kernel's and the IPC and VM figures (tests/boot/icount.sh), the
# block driver, page-out, the file server, the UNIX personality, TCP,
# and the boot to the shell's prompt in instructions (-kernel, -icount)
# and in wall milliseconds (the ISO, as make run boots it).  Prints one
# table of the medians beside the peers' figures (docs/performance.md)
# and writes $(BUILD)/bench/results.json and $(BUILD)/bench/figures.
bench: $(KERNEL_ELF32) $(BOOT_MODULES) $(GUEST_BENCH) $(BLK) $(BLKTEST) $(DEFAULT_PAGER) \
		$(PAGEOUTTEST) $(EXT2FS) $(FSTEST) $(ROOT_IMAGE) $(CONSOLE) $(PROC) $(EMUL) \
		$(UNIX_BENCH_IMAGE) $(NET) $(INET) $(NETBENCH_IMAGE) $(ISO) | $(STAMP)/packages
	@tests/bench/run.sh

# tests/bench/baseline, the figures make test's guard holds the system to
# (tests/boot/bench-guard.sh), rewritten from the medians of the last
# make bench: after a change that makes a guarded figure worse on
# purpose, or better, to hold the system to the new figure.
bench-baseline:
	@test -f $(BUILD)/bench/results.json || \
		{ echo "bench-baseline: run make bench first"; exit 1; }
	python3 tests/bench/compare.py --rewrite tests/bench/baseline $(BUILD)/bench/results.json
	@git --no-pager diff --stat -- tests/bench/baseline
