# libdriver: what user-level drivers share (servers/libdriver/,
# docs/drivers.md): port I/O, PCI configuration space, virtio, and the
# drivers' ports and interrupt lines.  servers/servers.mk includes this
# before the drivers' own .mk files, which link $(LIBDRIVER) before $(LIBMACH).
LIBDRIVER_OBJS := $(call user-objects,$(wildcard servers/libdriver/*.c))
$(LIBDRIVER_OBJS): USER_EXTRA_CFLAGS := -Iservers/libdriver
LIBDRIVER := $(BUILD)/servers/libdriver/libdriver.a

$(LIBDRIVER): $(LIBDRIVER_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	@rm -f $@
	@ar rcs $@ $^
