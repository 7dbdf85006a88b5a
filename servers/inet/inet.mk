# inet: the network server (servers/inet/, docs/network.md): lwIP 2.1.3,
# unpatched, from $(LWIP_DIR) (fetched by $(STAMP)/lwip), with the
# server's own port layer, built against newlib as the UNIX server is.
INET := $(BUILD)/servers/inet/inet
LWIP_SRC := $(addprefix $(LWIP_DIR)/src/core/,init.c def.c dns.c inet_chksum.c ip.c mem.c \
	memp.c netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix $(LWIP_DIR)/src/core/ipv4/,dhcp.c etharp.c icmp.c ip4.c ip4_addr.c \
	ip4_frag.c) $(LWIP_DIR)/src/netif/ethernet.c
LWIP_OBJS := $(call unix-objects,$(LWIP_SRC))
INET_OBJS := $(call unix-objects,$(wildcard servers/inet/*.c))
LWIP_CFLAGS := -Iservers/inet -I$(LWIP_DIR)/src/include

# lwIP's sources are there once the set-up has fetched them.
$(LWIP_SRC): | $(STAMP)/lwip
$(LWIP_OBJS): UNIX_EXTRA_CFLAGS := $(LWIP_CFLAGS) -Wno-unused-parameter -Wno-address
$(INET_OBJS): UNIX_EXTRA_CFLAGS := $(LWIP_CFLAGS)
$(INET_OBJS): | $(STAMP)/lwip

$(INET): $(USER_CRT0) $(INET_OBJS) $(LWIP_OBJS) $(call unix-objects,libc/unix/memory.c) \
		$(addprefix $(USER_OBJ)/gen/,socketServer.o socket_eventUser.o inetServer.o \
		inet_replyUser.o net_inputServer.o net_replyServer.o net_requestUser.o netUser.o) \
		$(LIBMACH_UNIX)
	$(unix-link)

BOOT_SERVERS += $(INET)
TEST_DEPS += $(INET)

# The network from the shell: the tools (bin/net/) against the host's
# curl and HTTP server, a flood, and a name lookup.
TEST_SUITES += tests/boot/network.sh
