# emul (emul/): the UNIX emulation server, a boot module started after
# the file server and the console driver (init=PATH: the first process,
# by default /bin/init).  Built against newlib's headers and its string
# functions; its heap is libc/unix/memory.c's sbrk, the one piece of
# libunix it shares, with the errno translation.
EMUL := $(BUILD)/emul/emul
EMUL_SRC := $(addprefix emul/,main.c proc.c fork.c exec.c wait.c signal.c fd.c file.c dir.c \
	term.c pipe.c session.c mmap.c poll.c attr.c socket.c)
EMUL_OBJS := $(call unix-objects,$(EMUL_SRC) libc/unix/errno.c libc/unix/memory.c)
$(call unix-objects,$(EMUL_SRC)): UNIX_EXTRA_CFLAGS := -D_GNU_SOURCE -Ikernel

$(EMUL): $(USER_CRT0) $(EMUL_OBJS) $(call user-objects,kernel/kern/elf.c) \
		$(addprefix $(USER_OBJ)/gen/,unixServer.o unix_replyUser.o term_requestUser.o \
		term_replyServer.o term_eventServer.o termUser.o fsUser.o procUser.o \
		socketUser.o socket_eventServer.o) \
		$(LIBMACH_UNIX)
	$(unix-link)

$(call user-objects,kernel/kern/elf.c): USER_EXTRA_CFLAGS := -Ikernel

BOOT_SERVERS += $(EMUL)
TEST_DEPS += $(EMUL)
