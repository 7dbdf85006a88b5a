# faultpager: a pager that misbehaves on command (servers/faultpager,
# idl/defs/faultpager.defs), mempager's objects and store behind an
# injection.  On the ISO, for faultinject (docs/pager-tools.md);
# tests/boot/pager.sh and make study boot it as a module, and tests start
# more of it with host_boot_module_load.
FAULTPAGER := $(BUILD)/servers/faultpager/faultpager
FAULTPAGER_OWN_OBJS := $(call user-objects,$(wildcard servers/faultpager/*.c))
FAULTPAGER_OBJS := $(FAULTPAGER_OWN_OBJS) $(filter-out %/main.o,$(MEMPAGER_OBJS))
$(FAULTPAGER_OWN_OBJS): USER_EXTRA_CFLAGS := -Iservers/libpager

$(FAULTPAGER): $(USER_CRT0) $(FAULTPAGER_OBJS) $(USER_OBJ)/gen/mempagerServer.o \
		$(USER_OBJ)/gen/faultpagerServer.o $(LIBPAGER) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(FAULTPAGER)
BOOT_SERVERS += $(FAULTPAGER)
