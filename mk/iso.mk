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

.PHONY: run debug bench
# The serial console is this terminal; Ctrl-A X leaves QEMU.
run: $(STAMP)/newlib $(STAMP)/lwip $(ISO) $(BUILD)/disks/fs.img
	@echo "Booting $(ISO) in QEMU; leave with Ctrl-A X."
	$(QEMU) -m $(RUN_MEMORY) -nographic -no-reboot -cdrom $(ISO) -boot d \
		$$(scripts/qemu-devices.sh $(RUN_DISKS))

# The system as make run boots it, halted under QEMU's GDB stub, and GDB
# attached and stopped at kmain (docs/debugging.md).
debug: $(STAMP)/newlib $(STAMP)/lwip $(ISO) $(BUILD)/disks/fs.img
	KERNEL_ELF=$(KERNEL_ELF) scripts/debug.sh iso $(ISO) $(RUN_DISKS)

# Boots the kernel with its `bench` option and the bench program twice
# (tests/boot/icount.sh), then the block driver's read of 16 MiB
# (tests/boot/blk-bench.sh), page-out through the default pager
# (tests/boot/pageout-bench.sh) and the file server's reads, writes and
# small files (tests/boot/fs-bench.sh), the UNIX personality's calls
# (tests/boot/unix-bench.sh), TCP both ways through QEMU's user network
# (tests/boot/net-bench.sh), and prints every figure as
# "name value".
bench: $(KERNEL_ELF32) $(BOOT_MODULES) $(GUEST_BENCH) $(BLK) $(BLKTEST) $(DEFAULT_PAGER) \
		$(PAGEOUTTEST) $(EXT2FS) $(FSTEST) $(ROOT_IMAGE) $(CONSOLE) $(PROC) $(EMUL) \
		$(UNIX_BENCH_IMAGE) $(NET) $(INET) $(NETBENCH_IMAGE) | $(STAMP)/packages
	@out=$$(tests/boot/icount.sh) || { printf '%s\n' "$$out"; echo "bench: measurement failed"; exit 1; }
	@tests/boot/blk-bench.sh || { echo "bench: measurement failed"; exit 1; }
	@tests/boot/pageout-bench.sh || { echo "bench: measurement failed"; exit 1; }
	@tests/boot/fs-bench.sh || { echo "bench: measurement failed"; exit 1; }
	@tests/boot/unix-bench.sh || { echo "bench: measurement failed"; exit 1; }
	@tests/boot/net-bench.sh || { echo "bench: measurement failed"; exit 1; }
	@cat $(BUILD)/bench/figures
