# unixtest (tests/unix/): the UNIX personality's conformance suite, a
# newlib program; tests/boot/unix.sh boots it as the first process, from
# its own copy of the system's disk with unixtest in /bin.
UNIXTEST := $(BUILD)/tests/unix/unixtest
UNIXTEST_OBJS := $(call unix-objects,$(addprefix tests/unix/,main.c tap.c file.c pipe.c \
	process.c stress.c signal.c fault.c session.c mmap.c \
	procs.c poll.c termios.c attr.c sigstack.c shell.c))

$(UNIXTEST): $(UNIX_CRT0) $(UNIXTEST_OBJS) $(LIBUNIX) $(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

UNIX_IMAGE := $(BUILD)/tests/unix/unix.img
$(UNIX_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(UNIXTEST) $(SH) | $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(UNIXTEST) $(SH)

TEST_DEPS += $(UNIXTEST) $(UNIX_IMAGE)
TEST_SUITES += tests/boot/unix.sh

# unixbench (tests/unix/bench.c) and true, the program it execs: the
# figures of `make bench` (tests/boot/unix-bench.sh), on an image of
# their own.
UNIXBENCH := $(BUILD)/tests/unix/unixbench
UNIXTRUE := $(BUILD)/tests/unix/true
UNIX_BENCH_IMAGE := $(BUILD)/tests/unix/bench.img

$(UNIXBENCH): $(UNIX_CRT0) $(call unix-objects,tests/unix/bench.c tests/unix/bench_file.c) \
		$(LIBUNIX) $(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

$(UNIXTRUE): $(UNIX_CRT0) $(call unix-objects,tests/unix/true.c) $(LIBUNIX) $(LIBMACH_UNIX) \
		scripts/cross/pagoda-cc
	$(unix-program-link)

$(UNIX_BENCH_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(UNIXBENCH) $(UNIXTRUE) \
		| $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(UNIXBENCH) $(UNIXTRUE)

# sockettest (tests/unix/sockets.c): sockets through libc, the UNIX
# server and the network server; tests/boot/sockets.sh boots it as init
# on QEMU's user network, from an image of its own.
SOCKETTEST := $(BUILD)/tests/unix/sockettest
SOCKET_IMAGE := $(BUILD)/tests/unix/sockets.img
$(SOCKETTEST): $(UNIX_CRT0) $(call unix-objects,tests/unix/sockets.c tests/unix/tap.c) $(LIBUNIX) \
		$(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

$(SOCKET_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(SOCKETTEST) | $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(SOCKETTEST)

TEST_DEPS += $(SOCKETTEST) $(SOCKET_IMAGE)
TEST_SUITES += tests/boot/sockets.sh

# netbench (tests/unix/netbench.c): the network's figures of `make bench`
# (tests/boot/net-bench.sh), on an image of its own.
NETBENCH := $(BUILD)/tests/unix/netbench
NETBENCH_IMAGE := $(BUILD)/tests/unix/netbench.img
$(NETBENCH): $(UNIX_CRT0) $(call unix-objects,tests/unix/netbench.c) $(LIBUNIX) \
		$(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

$(NETBENCH_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(NETBENCH) | $(STAMP)/packages
	@echo "  MKROOT  $@"
	@scripts/mkroot.sh $@ 64 $(NETBENCH)
