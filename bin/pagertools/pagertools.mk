# The pager tools (bin/pagertools/, docs/pager-tools.md): pagerctl,
# faultinject and memhog, each in /bin of the system's disk.  They share
# pagertools.c and the core utilities' util.c; pagerctl prints
# pagerstat's rows; they speak mempager.defs and faultpager.defs to the
# pagers.
PAGERTOOLS_NAMES := pagerctl faultinject memhog
PAGERTOOLS := $(addprefix $(BUILD)/bin/pagertools/,$(PAGERTOOLS_NAMES))
PAGERTOOLS_SHARED := $(call unix-objects,bin/pagertools/pagertools.c bin/utils/util.c)
PAGERTOOLS_OBJS := $(call unix-objects,$(PAGERTOOLS_NAMES:%=bin/pagertools/%.c) \
	bin/pagertools/pagertools.c)
$(PAGERTOOLS_OBJS): UNIX_EXTRA_CFLAGS := -Ibin/utils -Ibin/pagerstat -Iservers/mempager \
	-Iservers/faultpager

$(BUILD)/bin/pagertools/pagerctl: $(call unix-objects,bin/pagerstat/table.c) \
	$(USER_OBJ)/gen/mempagerUser.o
$(BUILD)/bin/pagertools/memhog: $(USER_OBJ)/gen/mempagerUser.o
$(BUILD)/bin/pagertools/faultinject: $(USER_OBJ)/gen/faultpagerUser.o

$(BUILD)/bin/pagertools/%: $(UNIX_CRT0) $(UNIX_OBJ)/bin/pagertools/%.o $(PAGERTOOLS_SHARED) \
		$(LIBUNIX) $(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

.SECONDARY: $(PAGERTOOLS_OBJS)

UNIX_PROGRAMS += $(PAGERTOOLS)
TEST_DEPS += $(PAGERTOOLS)

# The walkthrough of docs/pager-tools.md, typed at the shell.
TEST_SUITES += tests/boot/pagertools.sh
