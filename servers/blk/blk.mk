# blk: the virtio-blk driver (servers/blk/, docs/drivers.md), on libdriver
# and the stubs of blk.defs, blk_reply.defs and device_irq.defs.
BLK := $(BUILD)/servers/blk/blk
BLK_OBJS := $(call user-objects,$(wildcard servers/blk/*.c))
$(BLK_OBJS): USER_EXTRA_CFLAGS := -Iservers/libdriver -Iservers/blk

$(BLK): $(USER_CRT0) $(BLK_OBJS) $(USER_OBJ)/gen/blkServer.o \
		$(USER_OBJ)/gen/blk_replyUser.o $(LIBDRIVER) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(BLK)

# blktest: the driver tested from a client (tests/guest/blk/), on vmtest's
# helpers; tests/boot/blk.sh boots it.
BLKTEST := $(BUILD)/tests/guest/blktest
BLKTEST_OBJS := $(call user-objects,tests/guest/blk/main.c tests/guest/vm/tap.c \
	tests/guest/vm/util.c tests/guest/vm/exc.c)
$(call user-objects,tests/guest/blk/main.c): USER_EXTRA_CFLAGS := -Iservers/blk
$(BLKTEST): $(USER_CRT0) $(BLKTEST_OBJS) $(USER_OBJ)/gen/blkUser.o $(LIBMACH)
	$(user-link)

TEST_DEPS += $(BLKTEST)
TEST_SUITES += tests/boot/blk.sh
