# halt, poweroff, reboot (bin/halt/): one program under three names.
HALT := $(BUILD)/bin/halt/halt
$(HALT): $(UNIX_CRT0) $(call unix-objects,bin/halt/halt.c) $(LIBUNIX) $(LIBMACH_UNIX) \
		scripts/cross/pagoda-cc
	$(unix-program-link)

$(BUILD)/bin/halt/poweroff $(BUILD)/bin/halt/reboot: $(HALT)
	@cp $< $@

UNIX_PROGRAMS += $(HALT) $(BUILD)/bin/halt/poweroff $(BUILD)/bin/halt/reboot
TEST_DEPS += $(HALT)
