# The core utilities (bin/utils/): one program per file, sharing util.c
# (and copy.c for cp and mv); each goes in /bin of the system's disk.
# hexdump is od too.
UTILS_NAMES := true false echo cat basename dirname seq sleep pwd env uname clear tee head tail \
	wc mkdir rmdir rm touch ln cp mv kill ps printf cmp hexdump cut tr sort uniq grep find \
	xargs date free more ls df sync dmesg vmstat cksum
UTILS := $(addprefix $(BUILD)/bin/utils/,$(UTILS_NAMES))
UTILS_SHARED := $(call unix-objects,bin/utils/util.c bin/utils/copy.c)

$(BUILD)/bin/utils/%: $(UNIX_CRT0) $(UNIX_OBJ)/bin/utils/%.o $(UTILS_SHARED) $(LIBUNIX) \
		$(LIBMACH_UNIX) scripts/cross/pagoda-cc
	$(unix-program-link)

# Their objects are made through the pattern rule: kept, not removed as
# intermediates after the build (which would also print after make test's
# last line).
.SECONDARY: $(call unix-objects,$(UTILS_NAMES:%=bin/utils/%.c)) $(UTILS_SHARED)

$(BUILD)/bin/utils/od: $(BUILD)/bin/utils/hexdump
	@cp $< $@

UNIX_PROGRAMS += $(UTILS) $(BUILD)/bin/utils/od
TEST_DEPS += $(UTILS)
