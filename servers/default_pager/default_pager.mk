# default_pager: the pager of anonymous memory, on a swap disk
# (servers/default_pager/default_pager.h).  On the ISO, first after
# bootstrap, with the word "wired".
DEFAULT_PAGER := $(BUILD)/servers/default_pager/default_pager
DEFAULT_PAGER_OBJS := $(call user-objects,$(wildcard servers/default_pager/*.c))
$(DEFAULT_PAGER_OBJS): USER_EXTRA_CFLAGS := -Iservers/libpager

$(DEFAULT_PAGER): $(USER_CRT0) $(DEFAULT_PAGER_OBJS) $(USER_OBJ)/gen/default_pagerServer.o \
		$(USER_OBJ)/gen/memory_object_defaultServer.o $(USER_OBJ)/gen/blkUser.o \
		$(LIBPAGER) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(DEFAULT_PAGER)
