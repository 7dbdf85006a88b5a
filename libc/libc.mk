# libc/: the C library of user programs.  Today only its small Mach
# library, freestanding (newlib is not wired in yet):
#
#   $(USER_CRT0)  build/libc/crt0.o, _start; linked first into every program
#   $(LIBMACH)    build/libc/libmach.a: the trap wrappers, mach_printf,
#                 threads, error names, and the kernel's format.c and
#                 string.c compiled for user space
#
# and the flags every user program is built with.  A program is linked by
#
#   PROGRAM: $(USER_CRT0) its objects $(LIBMACH)
#   	$(user-link)
#
# with its objects named $(call user-objects,SOURCES).

# SSE is fine in user space (the kernel saves it per thread), and the red
# zone is safe there: interrupts never run on a user stack.
#
# The libraries (libmach, libpager) are compiled for link-time
# optimization (USER_LIB_CFLAGS): their small functions -- the trap
# wrappers, the generated stubs and demuxes, libpager's lookups -- are
# inlined into the paths that call them across files, which took 73
# instructions off a pager fault (docs/performance.md).  Programs' own
# files are compiled as before; some define labels in top-level asm,
# which LTO's partitions do not see.
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Ilibc -Ikernel/include -I$(IDL_GEN) -MMD -MP
USER_LDFLAGS := -flto=auto -O2 -g -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 \
	-Wl,-Ttext-segment=0x400000 -Wl,--build-id=none

USER_OBJ := $(BUILD)/user-obj
user-objects = $(patsubst %.c,$(USER_OBJ)/%.o,$(1))

define user-link
@mkdir -p $(@D)
@echo "  LD      $@"
@$(CC) $(USER_LDFLAGS) -o $@ $^
endef

$(USER_OBJ)/%.o: %.c | $(STAMP)/packages $(IDL_GEN_FILES)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) $(USER_LIB_CFLAGS) -c -o $@ $<

LIBMACH := $(BUILD)/libc/libmach.a
USER_CRT0 := $(BUILD)/libc/crt0.o
# The client stubs of the kernel's interfaces and of the name service,
# and the demuxes of what user tasks serve (exceptions, notifications,
# the name service); archive members are linked only where used.
LIBMACH_IDL_USER := host mach_port task thread vm_map bootstrap device unix proc inet
LIBMACH_IDL_SERVER := exc notify bootstrap device_irq
LIBMACH_GEN_SRC := $(LIBMACH_IDL_USER:%=$(IDL_GEN)/%User.c) \
	$(LIBMACH_IDL_SERVER:%=$(IDL_GEN)/%Server.c)
LIBMACH_SRC := libc/mach/vm.c libc/mach/traps.c libc/mach/printf.c libc/mach/error.c \
	libc/mach/args.c \
	libc/mach/thread.c libc/mach/mig.c kernel/kern/format.c kernel/kern/string.c
LIBMACH_OBJS := $(call user-objects,$(LIBMACH_SRC)) \
	$(patsubst $(IDL_GEN)/%.c,$(USER_OBJ)/gen/%.o,$(LIBMACH_GEN_SRC))

$(USER_OBJ)/gen/%.o: $(IDL_GEN)/%.c | $(IDL_GEN_FILES)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) $(USER_LIB_CFLAGS) -c -o $@ $<
LIBMACH_ERROR_NAMES := $(BUILD)/libc/mach_error_names.h

# The library's own files also see the kernel's kern/ headers (format.h,
# string.h) and the generated error table; string.c's loops must not be
# turned back into calls to the functions they implement.
$(LIBMACH_OBJS) $(call user-objects,libc/mach/start.c): USER_EXTRA_CFLAGS := \
	-Ikernel -I$(BUILD)/libc -fno-tree-loop-distribute-patterns

$(LIBMACH_OBJS): USER_LIB_CFLAGS := -flto
# string.c stays out of LTO, for the reason kernel.mk gives.
$(call user-objects,kernel/kern/string.c): USER_LIB_CFLAGS := -fno-lto

# gcc-ar: the archive's index must list the symbols of LTO objects.
$(LIBMACH): $(LIBMACH_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	@rm -f $@
	@gcc-ar rcs $@ $^

$(USER_CRT0): $(call user-objects,libc/mach/start.c)
	@mkdir -p $(@D)
	@cp $< $@

# { KERN_SUCCESS, "KERN_SUCCESS" }, ... for every code in the registry.
$(LIBMACH_ERROR_NAMES): kernel/include/mach/kern_return.h libc/libc.mk
	@mkdir -p $(@D)
	sed -nE 's/^#define[ 	]+((KERN|MIG|MACH_MSG|MACH_SEND|MACH_RCV|FS|PROC|NET)_[A-Z0-9_]+)[ 	].*/	{ \1, "\1" },/p' \
		$< >$@

$(call user-objects,libc/mach/error.c): $(LIBMACH_ERROR_NAMES)

-include $(shell find $(USER_OBJ) -name '*.d' 2>/dev/null)
