# console: the serial console driver (servers/console/, docs/console.md),
# with the stubs of its interfaces: it serves term.defs and sends
# term_reply.defs and term_event.defs (device_irq.defs and notify.defs
# are served from libmach's demuxes).  Booted as a module with the word
# "devices"; tests/boot/console.sh boots it with consoletest.
CONSOLE := $(BUILD)/servers/console/console
CONSOLE_OBJS := $(call user-objects,$(wildcard servers/console/*.c))
$(CONSOLE_OBJS): USER_EXTRA_CFLAGS := -Iservers/libdriver

$(CONSOLE): $(USER_CRT0) $(CONSOLE_OBJS) $(USER_OBJ)/gen/termServer.o \
		$(USER_OBJ)/gen/term_replyUser.o $(USER_OBJ)/gen/term_eventUser.o $(LIBDRIVER) $(LIBMACH)
	$(user-link)

# consoletest: the driver tested from a client (tests/guest/console/), on
# vmtest's TAP helpers, while the harness types into the serial line.
CONSOLETEST := $(BUILD)/tests/guest/consoletest
CONSOLETEST_OBJS := $(call user-objects,$(wildcard tests/guest/console/*.c) \
	tests/guest/vm/tap.c tests/guest/vm/util.c tests/guest/vm/exc.c)
$(CONSOLETEST): $(USER_CRT0) $(CONSOLETEST_OBJS) $(USER_OBJ)/gen/termUser.o \
		$(USER_OBJ)/gen/term_eventServer.o $(LIBMACH)
	$(user-link)

TEST_DEPS += $(CONSOLE) $(CONSOLETEST)
TEST_SUITES += tests/boot/console.sh
