# proc: the process server (servers/proc/, idl/defs/proc.defs), a boot
# module started before the UNIX emulation server, which it serves.
PROC := $(BUILD)/servers/proc/proc
PROC_OBJS := $(call user-objects,$(wildcard servers/proc/*.c))
$(PROC_OBJS): USER_EXTRA_CFLAGS := -Ikernel

$(PROC): $(USER_CRT0) $(PROC_OBJS) $(USER_OBJ)/gen/procServer.o $(LIBMACH)
	$(user-link)

BOOT_SERVERS += $(PROC)
TEST_DEPS += $(PROC)
