# idl/idl.mk: the interface compiler and the stubs it generates.
# Included by the top-level Makefile, which defines BUILD and STAMP.
#
# For the other fragments:
#   MIG              the compiler, $(BUILD)/idl/mig (docs/idl.md); also
#                    exported to recipes' environment
#   MIG_CPPFLAGS     where .defs files and the C headers they import are
#                    found: -I idl/defs -I kernel/include
#   IDL_INTERFACES   the project's interfaces: each idl/defs/NAME.defs that
#                    declares a subsystem (std_types.defs and mach_types.defs
#                    only declare types)
#   IDL_GEN          $(BUILD)/idl/gen, the user-space view of every interface:
#                    NAME.h, NAMEUser.c, NAMEServer.h, NAMEServer.c
#   IDL_KGEN         $(BUILD)/idl/kgen, the kernel's view: generated with
#                    -DMACH_KERNEL -DKERNEL_SERVER -DKERNEL_USER; compile it
#                    with -DMACH_KERNEL -I $(IDL_KGEN) -I kernel/include
#   IDL_GEN_FILES, IDL_KGEN_FILES   all of those files
#   $(call idl_outputs,DIR,NAME)    the four files of NAME in DIR
#   $(eval $(call idl_generate,OUTDIR,DEFSDIR,MIGFLAGS))
#                    a rule making OUTDIR/NAME{.h,User.c,Server.h,Server.c}
#                    from DEFSDIR/NAME.defs
# Targets: idl (the compiler and every stub), idl-golden (refresh the
# golden outputs in idl/tests/golden after an intended generator change).

MIG := $(BUILD)/idl/mig
export MIG
MIG_CPPFLAGS := -I idl/defs -I kernel/include
IDL_GEN := $(BUILD)/idl/gen
IDL_KGEN := $(BUILD)/idl/kgen
IDL_KERNEL_FLAGS := -DMACH_KERNEL -DKERNEL_SERVER -DKERNEL_USER

IDL_INTERFACES := $(basename $(notdir \
	$(shell grep -il '^[[:space:]]*subsystem' idl/defs/*.defs)))
idl_outputs = $(1)/$(2).h $(1)/$(2)User.c $(1)/$(2)Server.h $(1)/$(2)Server.c
IDL_GEN_FILES := $(foreach n,$(IDL_INTERFACES),$(call idl_outputs,$(IDL_GEN),$(n)))
IDL_KGEN_FILES := $(foreach n,$(IDL_INTERFACES),$(call idl_outputs,$(IDL_KGEN),$(n)))

# What every generation depends on besides its own .defs: the compiler,
# the shared .defs it may include, the headers generated code includes.
IDL_COMMON_DEPS := $(MIG) $(wildcard idl/defs/*.defs idl/defs/mach/*.defs) \
	$(wildcard kernel/include/mach/*.h kernel/include/mach/machine/*.h)

define idl_generate
$(1)/%.h $(1)/%User.c $(1)/%Server.h $(1)/%Server.c: $(2)/%.defs $$(IDL_COMMON_DEPS)
	@mkdir -p $(1)
	$$(MIG) $(3) $$(MIG_CPPFLAGS) -header $(1)/$$*.h -user $(1)/$$*User.c \
		-sheader $(1)/$$*Server.h -server $(1)/$$*Server.c $$<
endef

$(eval $(call idl_generate,$(IDL_GEN),idl/defs,))
$(eval $(call idl_generate,$(IDL_KGEN),idl/defs,$(IDL_KERNEL_FLAGS)))

.PHONY: idl idl-golden
idl: $(MIG) $(IDL_GEN_FILES) $(IDL_KGEN_FILES)

# The compiler: a flex scanner, a bison grammar, and plain C.
IDL_HOSTCC ?= gcc
IDL_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -MMD -MP
IDL_SRCS := diag.c types.c routine.c check.c layout.c emit.c emit_header.c \
	emit_user.c emit_user_reply.c emit_server.c emit_server_reply.c main.c
IDL_OBJS := $(IDL_SRCS:%.c=$(BUILD)/idl/obj/%.o) \
	$(BUILD)/idl/obj/parser.o $(BUILD)/idl/obj/lexer.o

$(BUILD)/idl/parser.c $(BUILD)/idl/parser.h &: idl/parser.y | $(STAMP)/packages
	@mkdir -p $(@D)
	bison -Wall -Werror --defines=$(BUILD)/idl/parser.h \
		-o $(BUILD)/idl/parser.c $<

$(BUILD)/idl/lexer.c: idl/lexer.l | $(STAMP)/packages
	@mkdir -p $(@D)
	flex -o $@ $<

$(BUILD)/idl/obj/%.o: idl/%.c $(BUILD)/idl/parser.h
	@mkdir -p $(@D)
	$(IDL_HOSTCC) $(IDL_HOST_CFLAGS) -I idl -I $(BUILD)/idl -c -o $@ $<

$(BUILD)/idl/obj/%.o: $(BUILD)/idl/%.c $(BUILD)/idl/parser.h
	@mkdir -p $(@D)
	$(IDL_HOSTCC) $(IDL_HOST_CFLAGS) -I idl -I $(BUILD)/idl -c -o $@ $<

$(MIG): $(IDL_OBJS)
	$(IDL_HOSTCC) -o $@ $(IDL_OBJS)

-include $(IDL_OBJS:.o=.d)

# Host tests (idl/tests/run.sh): round trips over a loopback transport and
# a fuzzer for every demux, both under AddressSanitizer and UBSan.
IDL_TEST_GEN := $(BUILD)/idl/tests/gen
$(eval $(call idl_generate,$(IDL_TEST_GEN),idl/tests/good,-I idl/tests/good))

IDL_TEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
IDL_TEST_INCLUDES := -I idl/tests -I idl/tests/good -I $(IDL_TEST_GEN) \
	-I $(IDL_GEN) -I kernel/include
IDL_TEST_RT := $(call idl_outputs,$(IDL_TEST_GEN),rt)
IDL_TEST_COMMON := idl/tests/loopback.c idl/tests/rt_server.c \
	$(wildcard idl/tests/*.h idl/tests/good/*.h) $(IDL_TEST_RT)

$(BUILD)/idl/tests/roundtrip: idl/tests/roundtrip.c $(IDL_TEST_COMMON)
	@mkdir -p $(@D)
	$(IDL_HOSTCC) $(IDL_TEST_CFLAGS) $(IDL_TEST_INCLUDES) -o $@ \
		$(filter %.c,$^)

# The interfaces the fuzzer has stand-in servers for (pager_servers.c,
# kernel_servers.c, user_servers.c); run.sh reports any interface of
# idl/defs missing from this list.
IDL_FUZZED := memory_object memory_object_control memory_object_default default_pager \
	mach_port task thread host vm_map exc notify bootstrap mempager faultpager device device_irq \
	blk blk_reply net net_reply net_input term term_reply term_event fs unix unix_reply \
	term_request proc net_request socket socket_event inet inet_reply

$(BUILD)/idl/tests/fuzz: idl/tests/fuzz.c idl/tests/fuzz_corpus.c \
		idl/tests/rt_client.c idl/tests/pager_servers.c \
		idl/tests/kernel_servers.c idl/tests/user_servers.c \
		idl/tests/system_exercise.c idl/tests/unix_servers.c \
		idl/tests/unix_socket_servers.c $(IDL_TEST_COMMON) \
		$(foreach n,$(IDL_FUZZED),$(call idl_outputs,$(IDL_GEN),$(n)))
	@mkdir -p $(@D)
	$(IDL_HOSTCC) $(IDL_TEST_CFLAGS) $(IDL_TEST_INCLUDES) -o $@ \
		$(filter %.c,$^)

idl-golden: $(MIG)
	idl/tests/run.sh $(BUILD) --update-golden

TEST_DEPS += $(MIG) $(IDL_GEN_FILES) $(IDL_KGEN_FILES) \
	$(BUILD)/idl/tests/roundtrip $(BUILD)/idl/tests/fuzz
TEST_SUITES += 'idl/tests/run.sh $(BUILD)'
