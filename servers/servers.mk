# User-level servers, built as static x86_64 executables and loaded by the
# boot loader as modules.

USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
	-Wall -Wextra -Werror
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 \
	-Wl,-Ttext-segment=0x400000 -Wl,--build-id=none

BOOTSTRAP := $(BUILD)/servers/bootstrap/bootstrap

$(BOOTSTRAP): servers/bootstrap/main.c | $(STAMP)/packages
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $<

BOOT_MODULES := $(BOOTSTRAP)
