# User-level servers, built as static x86_64 executables against libmach
# (libc/libc.mk) and loaded by the boot loader as modules.

BOOTSTRAP := $(BUILD)/servers/bootstrap/bootstrap

$(BOOTSTRAP): $(USER_CRT0) $(call user-objects,$(wildcard servers/bootstrap/*.c)) $(LIBMACH)
	$(user-link)

# The modules on the ISO, bootstrap first.
BOOT_MODULES := $(BOOTSTRAP)

# libpager: the pager's side of the pager protocol (servers/libpager/,
# docs/pagers.md), with the generated code it speaks through: the user
# stubs of memory_object_control.defs and the demux of memory_object.defs.
# A pager links it before $(LIBMACH).
LIBPAGER := $(BUILD)/servers/libpager/libpager.a
LIBPAGER_OBJS := $(call user-objects,$(wildcard servers/libpager/*.c)) \
	$(USER_OBJ)/gen/memory_object_controlUser.o $(USER_OBJ)/gen/memory_objectServer.o

$(LIBPAGER_OBJS): USER_LIB_CFLAGS := -flto

$(LIBPAGER): $(LIBPAGER_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	@rm -f $@
	@gcc-ar rcs $@ $^

# mempager: the example pager, whose objects keep their data in its own
# memory (idl/defs/mempager.defs).  On the ISO, for memhog and pagerctl
# (docs/pager-tools.md); tests/boot/pager.sh boots it for pagertest.
MEMPAGER := $(BUILD)/servers/mempager/mempager
MEMPAGER_OBJS := $(call user-objects,$(wildcard servers/mempager/*.c))
$(MEMPAGER_OBJS): USER_EXTRA_CFLAGS := -Iservers/libpager

$(MEMPAGER): $(USER_CRT0) $(MEMPAGER_OBJS) $(USER_OBJ)/gen/mempagerServer.o $(LIBPAGER) \
		$(LIBMACH)
	$(user-link)

TEST_DEPS += $(MEMPAGER)

# libpager's host test (servers/libpager/tests/): the library against a
# pretend kernel made of the generated stubs of both sides, under
# AddressSanitizer and UBSan.
LIBPAGER_TEST := $(BUILD)/servers/libpager/tests/pager_test
LIBPAGER_TEST_GEN := memory_objectServer memory_objectUser memory_object_controlServer \
	memory_object_controlUser notifyServer notifyUser
$(LIBPAGER_TEST): $(wildcard servers/libpager/*.c servers/libpager/*.h) \
		$(wildcard servers/libpager/tests/*.c servers/libpager/tests/*.h) \
		$(LIBPAGER_TEST_GEN:%=$(IDL_GEN)/%.c) | $(IDL_GEN_FILES)
	@mkdir -p $(@D)
	$(IDL_HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		-Ilibc -Ikernel/include -I$(IDL_GEN) -Iservers/libpager -o $@ $(filter %.c,$^)

TEST_DEPS += $(LIBPAGER_TEST)
TEST_SUITES += $(LIBPAGER_TEST)

# Each driver and server with a folder of its own brings its rules in
# NAME/NAME.mk; the drivers' library first, since they link it.
BOOT_SERVERS :=
include servers/libdriver/libdriver.mk
include $(filter-out servers/libdriver/libdriver.mk,$(wildcard servers/*/*.mk))
BOOT_SERVERS += $(MEMPAGER)

# The servers the ISO starts after bootstrap, in order (mk/grub.cfg): the
# default pager, then the drivers, each with the word "devices", for which
# bootstrap hands it the device master port.  The default pager and the
# disk driver it swaps through also have the word "wired" (vm_privilege).
BOOT_DRIVERS := $(DEFAULT_PAGER) $(CONSOLE) $(BLK) $(NET)
# After them, the servers in BOOT_SERVERS (each NAME.mk adds its own).
