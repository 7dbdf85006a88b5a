# ext2fs (servers/ext2fs/): the ext2 file server.  So far its file system
# core, which the host tests build with the images mke2fs -d makes
# (tests/mkimages.sh), under AddressSanitizer and UBSan: read_test reads
# them back against their staging tree, write_test changes them and has
# the host's e2fsck and debugfs check, corrupt_test lies in them one
# field at a time, fuzz_test at random.
EXT2FS_CORE := $(filter-out servers/ext2fs/main.c,$(wildcard servers/ext2fs/*.c))
EXT2FS_TEST_DIR := $(BUILD)/servers/ext2fs/tests
EXT2FS_IMAGES := $(EXT2FS_TEST_DIR)/images/.made

$(EXT2FS_IMAGES): servers/ext2fs/tests/mkimages.sh | $(STAMP)/packages
	@mkdir -p $(@D)
	@echo "  MKE2FS  $(@D)"
	@servers/ext2fs/tests/mkimages.sh $(@D)
	@touch $@

EXT2FS_HOSTCC = $(IDL_HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DPAGODA_HOST -DEXT2FS_TEST_IMAGES='"$(EXT2FS_TEST_DIR)/images"' \
	-Ikernel -Ikernel/include -Iservers/ext2fs -Iservers/ext2fs/tests

# Each tests/NAME_test.c is a program of its own, with image.c.
EXT2FS_TESTS := $(patsubst servers/ext2fs/tests/%.c,$(EXT2FS_TEST_DIR)/%, \
	$(wildcard servers/ext2fs/tests/*_test.c))
$(EXT2FS_TESTS): $(EXT2FS_TEST_DIR)/%: servers/ext2fs/tests/%.c servers/ext2fs/tests/image.c \
		$(EXT2FS_CORE) kernel/host_test_main.c \
		$(wildcard servers/ext2fs/*.h servers/ext2fs/tests/*.h) | $(EXT2FS_IMAGES)
	@mkdir -p $(@D)
	$(EXT2FS_HOSTCC) -o $@ $(filter %.c,$^)

TEST_DEPS += $(EXT2FS_TESTS) $(EXT2FS_IMAGES)
TEST_SUITES += $(EXT2FS_TESTS)
