/*
 * ext2fs refusing what a hostile image says, one lie at a time: the
 * superblock's numbers, a group's tables, an inode, a block pointer, a
 * directory entry, a symbolic link.  Each gets its error (FS_CORRUPT, or
 * KERN_NOT_SUPPORTED for what is valid ext2 this server does not do),
 * never a read outside the device; fuzz_test.c does the same at random.
 */
#include <string.h>

#include "host_test.h"
#include "image.h"

static struct ext2_fs fs;
static struct image clean;

/* A copy of 1k.img, mounted clean (fs describes it), in *img. */
static bool fresh(struct image *img)
{
	if (clean.data == NULL && !CHECK(image_load(&clean, "1k.img")))
		return false;
	image_copy(img, &clean);
	image_complaints = false;
	return CHECK_EQ(ext2_mount(&fs, &img->dev), KERN_SUCCESS);
}

static struct ext2_super *super_of(struct image *img)
{
	return (struct ext2_super *)(img->data + EXT2_SUPER_OFFSET);
}

/* The inode at path in img (fs mounted on it): its number, and where it
 * is on the disk. */
static struct ext2_inode *inode_of(struct image *img, const char *path, uint32_t *ino)
{
	struct ext2_node node;

	if (!CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, path, false, &node), KERN_SUCCESS))
		return NULL;
	uint32_t index = (node.ino - 1) % fs.super.s_inodes_per_group;
	uint64_t block = fs.group[(node.ino - 1) / fs.super.s_inodes_per_group].bg_inode_table;
	*ino = node.ino;
	return (struct ext2_inode *)(img->data + block * fs.block_size + index * fs.inode_size);
}

/* The first block of the directory at path, on the disk. */
static struct ext2_dirent *dir_block_of(struct image *img, const char *path)
{
	uint32_t ino;
	struct ext2_inode *inode = inode_of(img, path, &ino);

	return inode != NULL ? (struct ext2_dirent *)(img->data + (uint64_t)inode->i_block[0] *
									fs.block_size)
			     : NULL;
}

/* Mounts img again (after its corruption): the result. */
static kern_return_t remount(struct image *img)
{
	return ext2_mount(&fs, &img->dev);
}

/* namei of path on img, remounted: the result. */
static kern_return_t walk(struct image *img, const char *path)
{
	struct ext2_node node;
	kern_return_t kr = remount(img);

	return kr == KERN_SUCCESS ? ext2_namei(&fs, EXT2_ROOT_INO, path, true, &node) : kr;
}

/* Reads all of path on img, remounted: the result. */
static kern_return_t read_all(struct image *img, const char *path)
{
	static char buf[1 << 20];
	struct ext2_node node;
	size_t done;
	kern_return_t kr = remount(img);

	if (kr == KERN_SUCCESS)
		kr = ext2_namei(&fs, EXT2_ROOT_INO, path, true, &node);
	return kr == KERN_SUCCESS ? ext2_read(&fs, &node, 0, buf, sizeof(buf), &done) : kr;
}

#define SUPER_LIE(name, field, value, expected)                                        \
	HOST_TEST(name)                                                                 \
	{                                                                               \
		struct image img;                                                       \
		if (fresh(&img)) {                                                      \
			super_of(&img)->field = (value);                                \
			CHECK_EQ(remount(&img), (expected));                            \
			CHECK_EQ(img.outside, 0);                                       \
		}                                                                       \
		image_free(&img);                                                       \
	}

SUPER_LIE(superblock_without_the_magic_is_refused, s_magic, 0x1234, FS_CORRUPT)
SUPER_LIE(revision_0_is_not_supported, s_rev_level, 0, KERN_NOT_SUPPORTED)
SUPER_LIE(a_block_size_of_128_kib_is_not_supported, s_log_block_size, 7, KERN_NOT_SUPPORTED)
SUPER_LIE(an_unknown_incompat_feature_is_not_supported, s_feature_incompat,
	  EXT2_FEATURE_INCOMPAT_FILETYPE | 0x0040, KERN_NOT_SUPPORTED)
SUPER_LIE(more_blocks_than_the_device_holds_is_corrupt, s_blocks_count, 1u << 30, FS_CORRUPT)
SUPER_LIE(no_inodes_per_group_is_corrupt, s_inodes_per_group, 0, FS_CORRUPT)
SUPER_LIE(no_blocks_per_group_is_corrupt, s_blocks_per_group, 0, FS_CORRUPT)
SUPER_LIE(more_blocks_per_group_than_a_bitmap_holds_is_corrupt, s_blocks_per_group, 8193,
	  FS_CORRUPT)
SUPER_LIE(an_inode_count_the_groups_do_not_make_is_corrupt, s_inodes_count, 4095, FS_CORRUPT)
SUPER_LIE(an_inode_size_not_a_power_of_two_is_corrupt, s_inode_size, 192, FS_CORRUPT)
SUPER_LIE(an_inode_size_above_the_block_is_corrupt, s_inode_size, 2048, FS_CORRUPT)
SUPER_LIE(a_first_data_block_of_0_with_1_kib_blocks_is_corrupt, s_first_data_block, 0,
	  FS_CORRUPT)

HOST_TEST(an_unknown_read_only_feature_mounts_read_only)
{
	struct image img;

	if (fresh(&img)) {
		super_of(&img)->s_feature_ro_compat |= 0x0008;
		CHECK_EQ(remount(&img), KERN_SUCCESS);
		CHECK(fs.read_only);
	}
	image_free(&img);
}

HOST_TEST(a_device_smaller_than_a_superblock_is_refused)
{
	struct image img;

	if (fresh(&img)) {
		img.dev.size = 1500;
		CHECK_EQ(remount(&img), FS_CORRUPT);
	}
	image_free(&img);
}

HOST_TEST(a_group_whose_inode_table_passes_the_end_is_corrupt)
{
	struct image img;

	if (fresh(&img)) {
		struct ext2_group *g = (struct ext2_group *)(img.data + 2 * 1024);
		g[1].bg_inode_table = fs.super.s_blocks_count - 1;
		CHECK_EQ(remount(&img), FS_CORRUPT);
		g[1].bg_inode_table = 0;   /* on the superblock */
		CHECK_EQ(remount(&img), FS_CORRUPT);
	}
	image_free(&img);
}

HOST_TEST(directory_entries_that_break_the_format_are_corrupt)
{
	struct image img;
	struct ext2_dirent *d;

	for (int lie = 0; lie < 5; lie++) {
		if (!fresh(&img) || (d = dir_block_of(&img, "/dir")) == NULL) {
			image_free(&img);
			return;
		}
		/* d is ".", then "..", then sub and abs-link. */
		if (lie == 0)
			d->rec_len = 0;        /* would never move on */
		else if (lie == 1)
			d->rec_len = 6;        /* shorter than a header */
		else if (lie == 2)
			d->rec_len = 4096;     /* past the block */
		else if (lie == 3)
			d->inode = 1u << 30;   /* no such inode */
		else
			d->name_len = 200;     /* longer than the entry */
		CHECK_EQ(walk(&img, "/dir/sub/deep.txt"), FS_CORRUPT);
		CHECK_EQ(img.outside, 0);
		image_free(&img);
	}
}

HOST_TEST(a_name_with_a_slash_in_a_directory_is_corrupt)
{
	struct image img;
	struct ext2_dirent *d;

	if (fresh(&img) && (d = dir_block_of(&img, "/dir")) != NULL) {
		d->name[0] = '/';
		CHECK_EQ(walk(&img, "/dir/sub"), FS_CORRUPT);
	}
	image_free(&img);
}

HOST_TEST(block_pointers_outside_the_file_system_are_corrupt)
{
	struct image img;
	struct ext2_inode *inode;
	uint32_t ino;

	for (int lie = 0; lie < 4; lie++) {
		if (!fresh(&img) || (inode = inode_of(&img, "/big", &ino)) == NULL) {
			image_free(&img);
			return;
		}
		if (lie == 0)
			inode->i_block[0] = 0xffffffff;
		else if (lie == 1)
			inode->i_block[EXT2_IND_BLOCK] = fs.super.s_blocks_count;
		else if (lie == 2)
			inode->i_block[EXT2_DIND_BLOCK] = 1;   /* the superblock's */
		else    /* an indirect block's first pointer */
			((uint32_t *)(img.data + (uint64_t)inode->i_block[EXT2_IND_BLOCK] *
							 fs.block_size))[0] = 0x7fffffff;
		CHECK_EQ(read_all(&img, "/big"), FS_CORRUPT);
		CHECK_EQ(img.outside, 0);
		image_free(&img);
	}
}

HOST_TEST(a_free_or_typeless_inode_in_a_directory_is_corrupt)
{
	struct image img;
	struct ext2_inode *inode;
	uint32_t ino;

	for (int lie = 0; lie < 2; lie++) {
		if (!fresh(&img) || (inode = inode_of(&img, "/hello.txt", &ino)) == NULL) {
			image_free(&img);
			return;
		}
		if (lie == 0)
			inode->i_links_count = 0;
		else
			inode->i_mode = 0x0644;   /* no type */
		CHECK_EQ(walk(&img, "/hello.txt"), FS_CORRUPT);
		image_free(&img);
	}
}

HOST_TEST(directories_with_holes_or_odd_sizes_are_corrupt)
{
	struct image img;
	struct ext2_inode *inode;
	uint32_t ino;

	for (int lie = 0; lie < 2; lie++) {
		if (!fresh(&img) || (inode = inode_of(&img, "/dir", &ino)) == NULL) {
			image_free(&img);
			return;
		}
		if (lie == 0)
			inode->i_block[0] = 0;
		else
			inode->i_size = 1000;
		CHECK_EQ(walk(&img, "/dir/sub"), FS_CORRUPT);
		image_free(&img);
	}
}

HOST_TEST(symbolic_links_of_bad_length_or_with_a_nul_are_corrupt)
{
	struct image img;
	struct ext2_inode *inode;
	uint32_t ino;

	for (int lie = 0; lie < 3; lie++) {
		if (!fresh(&img) || (inode = inode_of(&img, "/link", &ino)) == NULL) {
			image_free(&img);
			return;
		}
		if (lie == 0)
			inode->i_size = 0;
		else if (lie == 1)
			inode->i_size = 100;   /* a fast link holds 59 at most */
		else
			((char *)inode->i_block)[2] = '\0';
		CHECK_EQ(walk(&img, "/link"), FS_CORRUPT);
		image_free(&img);
	}
}

HOST_TEST(a_directory_that_contains_itself_does_not_trap_a_walk)
{
	struct image img;
	struct ext2_dirent *d;

	if (fresh(&img) && (d = dir_block_of(&img, "/dir")) != NULL) {
		/* "." of /dir renamed "x" (it names /dir): /dir/x/x/x/... */
		d->name[0] = 'x';
		CHECK_EQ(walk(&img, "/dir/x/x/x/x/x/x/x/x/sub/deep.txt"), KERN_SUCCESS);
		CHECK_EQ(walk(&img, "/dir/x/x/x/nothing"), FS_NOT_FOUND);
	}
	image_free(&img);
}

/* Group 0's block bitmap in img (fs mounted on it). */
static uint8_t *block_bitmap(struct image *img)
{
	return img->data + (uint64_t)fs.group[0].bg_block_bitmap * fs.block_size;
}

HOST_TEST(a_bitmap_that_offers_metadata_is_corrupt)
{
	struct image img;
	struct ext2_node root, node;
	struct ext2_new how = { .mode = EXT2_S_IFREG | 0644 };
	size_t done;

	if (fresh(&img)) {
		/* Every block of group 0 in use but the first of its inode table. */
		uint32_t table = fs.group[0].bg_inode_table - fs.super.s_first_data_block;
		memset(block_bitmap(&img), 0xff, fs.super.s_blocks_per_group / 8);
		block_bitmap(&img)[table / 8] &= (uint8_t)~(1u << (table % 8));
		CHECK_EQ(remount(&img), KERN_SUCCESS);
		CHECK_EQ(ext2_inode_get(&fs, EXT2_ROOT_INO, &root), KERN_SUCCESS);
		CHECK_EQ(ext2_create(&fs, &root, "f", 1, &how, &node), KERN_SUCCESS);
		CHECK_EQ(ext2_write(&fs, &node, 0, "x", 1, &done), FS_CORRUPT);
	}
	image_free(&img);
}

HOST_TEST(a_block_freed_twice_is_corrupt)
{
	struct image img;
	struct ext2_node root, node;
	uint32_t ino;
	struct ext2_inode *inode;

	if (fresh(&img) && (inode = inode_of(&img, "/hello.txt", &ino)) != NULL) {
		uint32_t b = inode->i_block[0] - fs.super.s_first_data_block;
		block_bitmap(&img)[b / 8] &= (uint8_t)~(1u << (b % 8));
		CHECK_EQ(remount(&img), KERN_SUCCESS);
		CHECK_EQ(ext2_inode_get(&fs, EXT2_ROOT_INO, &root), KERN_SUCCESS);
		CHECK_EQ(ext2_unlink(&fs, &root, "hello.txt", 9, false, 0, &node), KERN_SUCCESS);
		CHECK_EQ(ext2_delete(&fs, &node, 0), FS_CORRUPT);
	}
	image_free(&img);
}
