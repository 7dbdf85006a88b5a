# The kernel: a freestanding x86_64 ELF linked in the higher half, linked
# twice so that it carries its own symbol table (gen-ksyms.sh), plus an
# ELF32 copy for QEMU's multiboot1 loader (-kernel), and the host unit
# tests of its pure parts.

KERNEL_ELF   := $(BUILD)/kernel/pagoda.elf
KERNEL_ELF32 := $(BUILD)/kernel/pagoda32.elf
KERNEL_OBJ   := $(BUILD)/kernel/obj

# -O3 and link-time optimization (the link is gcc's, so that the LTO
# plugin runs): the kernel's paths cross many files in small functions
# (a page lookup, a lock, a reference), and inlining them across files
# took 430 instructions off a pager fault and 80 off a zero-fill fault
# (docs/performance.md).  The frame pointer stays, for backtraces.
KERNEL_CFLAGS := -std=gnu11 -O3 -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -fno-pic -mcmodel=kernel -mno-red-zone \
	-mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wno-frame-address \
	-DMACH_KERNEL -Ikernel -Ikernel/include -I$(IDL_KGEN) -MMD -MP -flto
KERNEL_LDFLAGS := $(KERNEL_CFLAGS) -flto=auto -nostdlib -static -no-pie \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-T kernel/arch/x86_64/kernel.ld

# string.c stays out of LTO, as a C library does: with memset's and
# memcpy's bodies in view, LTO inlined them in place of the moves gcc
# makes of a small fixed-size copy or clear (a 4-byte clear became a rep
# stosq and a rep stosb).
$(KERNEL_OBJ)/kern/string.c.o: KERNEL_CFLAGS += -fno-lto

# Host unit tests are *_test.c; everything else in these folders is kernel.
KERNEL_DIRS := kernel/arch/x86_64 kernel/kern kernel/vm kernel/ipc
KERNEL_C    := $(filter-out %_test.c,$(wildcard $(addsuffix /*.c,$(KERNEL_DIRS))))
KERNEL_S    := $(wildcard $(addsuffix /*.S,$(KERNEL_DIRS)))
# The interfaces the kernel serves and the ones it sends on as a client.
KERNEL_IDL_SERVERS := host mach_port task thread vm_map memory_object_control device
KERNEL_IDL_USERS := notify exc memory_object memory_object_default device_irq
KERNEL_GEN_C := $(KERNEL_IDL_SERVERS:%=$(IDL_KGEN)/%Server.c) \
	$(KERNEL_IDL_USERS:%=$(IDL_KGEN)/%User.c)
KERNEL_OBJS := $(patsubst kernel/%,$(KERNEL_OBJ)/%.o,$(KERNEL_C) $(KERNEL_S)) \
	$(patsubst $(IDL_KGEN)/%,$(KERNEL_OBJ)/gen/%.o,$(KERNEL_GEN_C))

$(KERNEL_OBJ)/gen/%.c.o: $(IDL_KGEN)/%.c | $(IDL_KGEN_FILES)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(KERNEL_OBJ)/%.c.o: kernel/%.c | $(STAMP)/packages $(IDL_KGEN_FILES)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(KERNEL_OBJ)/%.S.o: kernel/%.S | $(STAMP)/packages
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

# Pass 1 links with an empty symbol table; pass 2 with the table made from
# pass 1.  .ksyms follows .text, so code addresses do not move between the
# passes; the rule checks that they did not.
$(BUILD)/kernel/ksyms0.S: kernel/gen-ksyms.sh
	@mkdir -p $(@D)
	kernel/gen-ksyms.sh >$@

$(BUILD)/kernel/pagoda.pass1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms0.S.o kernel/arch/x86_64/kernel.ld
	$(CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms0.S.o

$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel/pagoda.pass1.elf kernel/gen-ksyms.sh
	kernel/gen-ksyms.sh $< >$@

$(BUILD)/kernel/%.S.o: $(BUILD)/kernel/%.S
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(KERNEL_ELF): $(BUILD)/kernel/pagoda.pass1.elf $(BUILD)/kernel/ksyms.S.o
	$(CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.S.o
	@nm -n $(BUILD)/kernel/pagoda.pass1.elf | grep -i ' t ' >$@.pass1.syms
	@nm -n $@ | grep -i ' t ' >$@.syms
	@cmp -s $@.pass1.syms $@.syms || \
		{ echo "kernel: code moved between link passes; ksyms would lie" >&2; exit 1; }
	@rm -f $@.pass1.syms $@.syms

# QEMU's -kernel loads multiboot1 kernels only as ELF32; the boot code's
# addresses are physical, and the loader uses physical load addresses.
$(KERNEL_ELF32): $(KERNEL_ELF)
	objcopy -O elf32-i386 $< $@

-include $(shell find $(KERNEL_OBJ) -name '*.d' 2>/dev/null)

# ---- host unit tests of the kernel's pure code ----
HOST_TEST_CFLAGS := -std=gnu11 -O1 -g -DPAGODA_HOST -Ikernel -Ikernel/include \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -Wall -Wextra -Werror
KERNEL_HOST_TESTS := $(BUILD)/kernel/host-tests
KERNEL_HOST_SRC := $(wildcard $(addsuffix /*_test.c,$(KERNEL_DIRS))) \
	kernel/host_test_main.c \
	kernel/kern/format.c kernel/kern/options.c kernel/kern/bootinfo.c \
	kernel/kern/elf.c kernel/kern/ksyms.c kernel/vm/vm_page.c kernel/vm/vm_page_boot.c

$(KERNEL_HOST_TESTS): $(KERNEL_HOST_SRC) $(wildcard kernel/*.h kernel/*/*.h kernel/*/*/*.h) \
		| $(STAMP)/packages
	@mkdir -p $(@D)
	$(CC) $(HOST_TEST_CFLAGS) -o $@ $(KERNEL_HOST_SRC)

TEST_DEPS += $(KERNEL_HOST_TESTS)
TEST_SUITES += $(KERNEL_HOST_TESTS)
