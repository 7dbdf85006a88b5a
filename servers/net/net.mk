# net: the virtio-net driver (servers/net/, docs/drivers.md), on libdriver
# and the stubs of net.defs,
# net_reply.defs, net_input.defs and device_irq.defs.
NET := $(BUILD)/servers/net/net
NET_OBJS := $(call user-objects,$(wildcard servers/net/*.c))
$(NET_OBJS): USER_EXTRA_CFLAGS := -Iservers/libdriver -Iservers/net

$(NET): $(USER_CRT0) $(NET_OBJS) $(USER_OBJ)/gen/netServer.o \
		$(USER_OBJ)/gen/net_replyUser.o $(USER_OBJ)/gen/net_inputUser.o $(LIBDRIVER) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(NET)

# nettest: the driver tested from a client (tests/guest/net/);
# tests/boot/net.sh boots it.
NETTEST := $(BUILD)/tests/guest/nettest
NETTEST_OBJS := $(call user-objects,tests/guest/net/main.c tests/guest/vm/tap.c \
	tests/guest/vm/util.c tests/guest/vm/exc.c)
$(NETTEST): $(USER_CRT0) $(NETTEST_OBJS) $(USER_OBJ)/gen/netUser.o \
		$(USER_OBJ)/gen/net_inputServer.o $(LIBMACH)
	$(user-link)

TEST_DEPS += $(NETTEST)
TEST_SUITES += tests/boot/net.sh
