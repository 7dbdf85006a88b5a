# ext2fs (servers/ext2fs/): the ext2 file server.  So far its file system
# core, which the host tests build with the images mke2fs -d makes
# (tests/mkimages.sh), under AddressSanitizer and UBSan: read_test reads
# them back against their staging tree, write_test changes them and has
# the host's e2fsck and debugfs check, corrupt_test lies in them one
# field at a time, fuzz_test at random.
# The core (ext2fs.h), which knows nothing of ports, and the server
# around it (server.h).
EXT2FS_CORE := $(addprefix servers/ext2fs/,super.c alloc.c inode.c bmap.c truncate.c file.c \
	dir.c ops.c rename.c namei.c)
EXT2FS_SERVER := $(addprefix servers/ext2fs/,main.c disk.c opens.c io.c names.c attrs.c map.c)
# The server: a module, started after the block driver (disk=NAME, by
# default disk0).
EXT2FS := $(BUILD)/servers/ext2fs/ext2fs
EXT2FS_OBJS := $(call user-objects,$(EXT2FS_CORE) $(EXT2FS_SERVER))
$(EXT2FS_OBJS): USER_EXTRA_CFLAGS := -Ikernel -Iservers/libpager

$(EXT2FS): $(USER_CRT0) $(EXT2FS_OBJS) $(USER_OBJ)/gen/fsServer.o $(USER_OBJ)/gen/blkUser.o \
		$(LIBPAGER) $(LIBMACH)
	$(user-link)

TEST_DEPS += $(EXT2FS)
# On the ISO, after the drivers (mk/grub.cfg).
BOOT_SERVERS += $(EXT2FS)

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

# fstest: the server tested from a client (tests/guest/fs/), on vmtest's
# helpers; tests/boot/fs.sh boots it on a copy of the 1 KiB test image.
FSTEST := $(BUILD)/tests/guest/fstest
FSTEST_OBJS := $(call user-objects,$(wildcard tests/guest/fs/*.c) tests/guest/vm/tap.c \
	tests/guest/vm/util.c tests/guest/vm/exc.c)
$(FSTEST): $(USER_CRT0) $(FSTEST_OBJS) $(USER_OBJ)/gen/fsUser.o $(LIBMACH)
	$(user-link)

TEST_DEPS += $(FSTEST)
TEST_SUITES += tests/boot/fs.sh
