# init (bin/init/): the first process: /etc/rc, then a shell on the
# console, again whenever it ends; it reaps orphans.
INIT := $(BUILD)/bin/init/init
$(INIT): $(UNIX_CRT0) $(call unix-objects,bin/init/init.c) $(LIBUNIX) $(LIBMACH_UNIX) \
		scripts/cross/pagoda-cc
	$(unix-program-link)

UNIX_PROGRAMS += $(INIT)
TEST_DEPS += $(INIT)
