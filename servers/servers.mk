# User-level servers, built as static x86_64 executables against libmach
# (libc/libc.mk) and loaded by the boot loader as modules.

BOOTSTRAP := $(BUILD)/servers/bootstrap/bootstrap

$(BOOTSTRAP): $(USER_CRT0) $(call user-objects,$(wildcard servers/bootstrap/*.c)) $(LIBMACH)
	$(user-link)

# The modules on the ISO, bootstrap first.
BOOT_MODULES := $(BOOTSTRAP)
