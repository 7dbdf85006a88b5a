# The network tools (bin/net/, bin/net/README): ifconfig, ping, nc, httpd
# and wget, each in /bin of the system's disk.  They share net.c and the
# core utilities' util.c; ifconfig asks the network server itself
# (inet.defs, through unix.defs's network and libc's unix_port).
NET_NAMES := ifconfig ping nc httpd wget
NET_TOOLS := $(addprefix $(BUILD)/bin/net/,$(NET_NAMES))
NET_SHARED := $(call unix-objects,bin/net/net.c bin/utils/util.c)
NET_OBJS := $(call unix-objects,$(NET_NAMES:%=bin/net/%.c) bin/net/net.c \
	bin/net/http_reply.c)
$(NET_OBJS): UNIX_EXTRA_CFLAGS := -Ibin/utils -Ilibc/unix

$(BUILD)/bin/net/httpd: $(call unix-objects,bin/net/http_reply.c)

$(BUILD)/bin/net/%: $(UNIX_CRT0) $(UNIX_OBJ)/bin/net/%.o $(NET_SHARED) $(LIBUNIX) \
		$(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

.SECONDARY: $(NET_OBJS)

UNIX_PROGRAMS += $(NET_TOOLS)
TEST_DEPS += $(NET_TOOLS)
