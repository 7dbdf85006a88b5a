# libc/unix.mk: UNIX programs, built against newlib (docs/unix.md).
#
#   $(UNIX_CC)        scripts/cross/x86_64-elf-gcc: the host gcc as a cross
#                     compiler with newlib's headers and libraries
#   $(UNIX_CRT0)      build/libc/unix-crt0.o, libc/unix/start.c's _start
#   $(LIBUNIX)        build/libc/libunix.a: the system calls newlib makes
#                     and the POSIX calls it lacks, as RPCs to the UNIX
#                     server (idl/defs/unix.defs)
#   $(LIBMACH_UNIX)   libmach without its string functions (newlib has them)
#
# A program is linked by the compiler wrapper scripts/cross/pagoda-cc,
# which works from any command line as cc does:
#
#   PROGRAM: $(UNIX_CRT0) its objects $(LIBUNIX) $(LIBMACH_UNIX)
#   	$(unix-program-link)
#
# with its objects named $(call unix-objects,SOURCES).  $(unix-link)
# links what $^ names and newlib, nothing more (the UNIX server's way).
UNIX_CC := scripts/cross/x86_64-elf-gcc
UNIX_CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-isystem libc/include -Ilibc -Ikernel/include -I$(IDL_GEN) -MMD -MP
UNIX_LDFLAGS := -Wl,-z,max-page-size=4096 -Wl,-Ttext-segment=0x400000 -Wl,--build-id=none

UNIX_OBJ := $(BUILD)/unix-obj
unix-objects = $(patsubst %.c,$(UNIX_OBJ)/%.o,$(1))

define unix-link
@mkdir -p $(@D)
@echo "  LD      $@"
@$(UNIX_CC) $(UNIX_LDFLAGS) -o $@ $(filter %.o,$^) \
	-Wl,--start-group $(filter %.a,$^) -lc -Wl,--end-group
endef

define unix-program-link
@mkdir -p $(@D)
@echo "  LD      $@"
@scripts/cross/pagoda-cc -o $@ $(filter-out $(UNIX_CRT0),$(filter %.o,$^))
endef

$(UNIX_OBJ)/%.o: %.c | $(STAMP)/newlib $(IDL_GEN_FILES)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(UNIX_CC) $(UNIX_CFLAGS) $(UNIX_EXTRA_CFLAGS) -c -o $@ $<

LIBUNIX_SRC := $(addprefix libc/unix/,errno.c process.c file.c dirent.c memory.c time.c \
	signal.c fault.c session.c mman.c poll.c termios.c attr.c exec.c socket.c resolve.c)
LIBUNIX := $(BUILD)/libc/libunix.a
UNIX_CRT0 := $(BUILD)/libc/unix-crt0.o
LIBMACH_UNIX := $(BUILD)/libc/libmach-unix.a

$(LIBUNIX): $(call unix-objects,$(LIBUNIX_SRC))
	@mkdir -p $(@D)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

# libmach for UNIX processes: its mach_msg retries what thread_abort
# interrupted (libc/mach/traps.c, MACH_MSG_RETRY).
$(call unix-objects,libc/mach/traps.c): UNIX_EXTRA_CFLAGS := -DMACH_MSG_RETRY
$(LIBMACH_UNIX): $(filter-out %/kernel/kern/string.o %/libc/mach/traps.o,$(LIBMACH_OBJS)) \
		$(call unix-objects,libc/mach/traps.c)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^

$(UNIX_CRT0): $(call unix-objects,libc/unix/start.c)
	@mkdir -p $(@D)
	@cp $< $@

-include $(shell find $(UNIX_OBJ) -name '*.d' 2>/dev/null)
