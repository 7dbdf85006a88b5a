/*
 * ext2fs changing images, checked by the host's own tools: after each
 * scenario the image, synced, must pass e2fsck -fn (exit 0: bitmaps,
 * counts, links, directories all consistent) and debugfs must read back
 * what was written.  Files across the direct, indirect and double
 * indirect blocks and sparse past the triple; truncation both ways;
 * directories made and removed; hard and symbolic links; rename in all
 * its cases; a thousand files in one directory; the disk filled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_test.h"
#include "image.h"

#define NOW 1795000000u

static struct ext2_fs fs;
static struct image img;

static bool start(const char *name)
{
	image_complaints = true;
	return CHECK(image_load(&img, name)) && CHECK_EQ(ext2_mount(&fs, &img.dev), KERN_SUCCESS);
}

/* Synced, the image passes e2fsck, and the superblock's free counts are
 * the groups' (which e2fsck mends without a word); then it is freed. */
static void finish(void)
{
	uint64_t blocks = 0, inodes = 0;

	for (uint32_t g = 0; g < fs.groups; g++) {
		blocks += fs.group[g].bg_free_blocks_count;
		inodes += fs.group[g].bg_free_inodes_count;
	}
	if (img.data != NULL) {
		CHECK_EQ(fs.super.s_free_blocks_count, blocks);
		CHECK_EQ(fs.super.s_free_inodes_count, inodes);
	}
	if (img.data != NULL && CHECK_EQ(ext2_sync(&fs), KERN_SUCCESS))
		CHECK_EQ(image_fsck(&img), 0);
	CHECK_EQ(img.outside, 0);
	image_free(&img);
}

static bool node_at(const char *path, struct ext2_node *node)
{
	return CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, path, false, node), KERN_SUCCESS);
}

static kern_return_t make(const char *dir_path, const char *name, uint16_t mode,
			  const char *target, struct ext2_node *node)
{
	struct ext2_node dir;
	struct ext2_new how = { .mode = mode, .uid = 1000, .gid = 100, .now = NOW,
				.target = target };

	if (!node_at(dir_path, &dir))
		return KERN_FAILURE;
	return ext2_create(&fs, &dir, name, strlen(name), &how, node);
}

static kern_return_t remove_name(const char *dir_path, const char *name, bool rmdir)
{
	struct ext2_node dir, node;

	if (!node_at(dir_path, &dir))
		return KERN_FAILURE;
	kern_return_t kr = ext2_unlink(&fs, &dir, name, strlen(name), rmdir, NOW, &node);
	if (kr == KERN_SUCCESS && node.inode.i_links_count == 0)
		kr = ext2_delete(&fs, &node, NOW);
	return kr;
}

static kern_return_t move(const char *from_dir, const char *from, const char *to_dir,
			  const char *to)
{
	struct ext2_node a, b, replaced;

	if (!node_at(from_dir, &a) || !node_at(to_dir, &b))
		return KERN_FAILURE;
	kern_return_t kr = ext2_rename(&fs, &a, from, strlen(from), &b, to, strlen(to), NOW,
				       &replaced);
	if (kr == KERN_SUCCESS && replaced.ino != 0 && replaced.inode.i_links_count == 0)
		kr = ext2_delete(&fs, &replaced, NOW);
	return kr;
}

/* Byte i of the test pattern of seed. */
static uint8_t pattern(unsigned seed, uint64_t i)
{
	return (uint8_t)((i * 2654435761u + seed) >> 7);
}

static bool write_pattern(struct ext2_node *node, uint64_t offset, size_t n, unsigned seed)
{
	uint8_t *buf = malloc(n);
	size_t done;

	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(seed, offset + i);
	bool ok = CHECK_EQ(ext2_write(&fs, node, offset, buf, n, &done), KERN_SUCCESS) &&
		  CHECK_EQ(done, n);
	free(buf);
	return ok;
}

/* debugfs reads path as size bytes: the pattern of seed from offset on,
 * zeros before it. */
static bool host_reads(const char *path, uint64_t offset, size_t size, unsigned seed)
{
	char *data;
	size_t n;
	bool ok = CHECK(ext2_sync(&fs) == KERN_SUCCESS &&
			image_debugfs_cat(&img, path, &data, &n)) &&
		  CHECK_EQ(n, size);
	for (size_t i = 0; ok && i < n; i++)
		ok = CHECK_EQ((uint8_t)data[i], i < offset ? 0 : pattern(seed, i));
	if (ok || n > 0)
		free(data);
	return ok;
}

HOST_TEST(a_file_written_across_its_map_reads_back_on_the_host)
{
	static const char *const images[] = { "1k.img", "4k.img", "full.img" };
	struct ext2_node node;

	for (unsigned i = 0; i < 3; i++) {
		if (!start(images[i]))
			break;
		/* 300 KiB: direct, single and (1 KiB blocks) double indirect. */
		if (CHECK_EQ(make("/", "new", EXT2_S_IFREG | 0644, NULL, &node), KERN_SUCCESS) &&
		    write_pattern(&node, 0, 300 * 1024, 7)) {
			CHECK_EQ(ext2_node_size(&node), 300 * 1024);
			host_reads("/new", 0, 300 * 1024, 7);
		}
		finish();
	}
}

HOST_TEST(writes_in_the_middle_and_past_the_end_keep_the_rest)
{
	struct ext2_node node;
	char buf[10];
	size_t done;

	if (start("1k.img") && node_at("/hello.txt", &node)) {
		CHECK_EQ(ext2_write(&fs, &node, 7, "EXT2", 4, &done), KERN_SUCCESS);
		CHECK_EQ(ext2_write(&fs, &node, 20, "!", 1, &done), KERN_SUCCESS);
		CHECK_EQ(ext2_node_size(&node), 21);
		CHECK_EQ(ext2_read(&fs, &node, 0, buf, 10, &done), KERN_SUCCESS);
		CHECK(memcmp(buf, "hello, EXT", 10) == 0);
		CHECK_EQ(ext2_read(&fs, &node, 12, buf, 9, &done), KERN_SUCCESS);
		CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0!", 9) == 0);
	}
	finish();
}

HOST_TEST(a_sparse_write_past_the_triple_indirect_start_stays_sparse)
{
	struct ext2_node node;
	uint32_t free_before = 0;

	if (start("1k.img")) {
		free_before = fs.super.s_free_blocks_count;
		if (CHECK_EQ(make("/", "holey", EXT2_S_IFREG | 0600, NULL, &node), KERN_SUCCESS) &&
		    write_pattern(&node, 80 * 1024 * 1024, 100, 3)) {
			CHECK_EQ(ext2_node_size(&node), 80 * 1024 * 1024 + 100);
			CHECK_EQ(node.inode.i_blocks, 4 * 2);   /* 3 indirect + 1 data */
			CHECK_EQ(free_before - fs.super.s_free_blocks_count, 4);
		}
	}
	finish();
}

HOST_TEST(truncation_frees_blocks_and_growth_reads_zeros)
{
	struct ext2_node node;
	uint32_t free_before = 0;
	char buf[100];
	size_t done;

	if (start("1k.img") && node_at("/big", &node)) {
		free_before = fs.super.s_free_blocks_count;
		CHECK_EQ(ext2_truncate(&fs, &node, 5000), KERN_SUCCESS);
		/* 576 data blocks and 4 indirect (one single, a double and two
		 * under it) become 5 data blocks. */
		CHECK_EQ(fs.super.s_free_blocks_count - free_before, 576 + 4 - 5);
		CHECK_EQ(node.inode.i_blocks, 5 * 2);
		CHECK_EQ(ext2_truncate(&fs, &node, 1 << 20), KERN_SUCCESS);
		CHECK_EQ(ext2_read(&fs, &node, 4990, buf, sizeof(buf), &done), KERN_SUCCESS);
		CHECK_EQ(done, sizeof(buf));
		for (unsigned i = 10; i < sizeof(buf); i++)
			CHECK_EQ(buf[i], 0);
		CHECK_EQ(ext2_truncate(&fs, &node, 0), KERN_SUCCESS);
		CHECK_EQ(node.inode.i_blocks, 0);
		CHECK_EQ(fs.super.s_free_blocks_count - free_before, 576 + 4);
	}
	finish();
}

HOST_TEST(directories_are_made_and_removed_with_their_links)
{
	struct ext2_node a, b, root;
	uint32_t inodes_before = 0, blocks_before = 0;

	if (start("4k.img") && node_at("/", &root)) {
		inodes_before = fs.super.s_free_inodes_count;
		blocks_before = fs.super.s_free_blocks_count;
		uint16_t root_links = root.inode.i_links_count;
		CHECK_EQ(make("/", "a", EXT2_S_IFDIR | 0755, NULL, &a), KERN_SUCCESS);
		CHECK_EQ(make("/a", "b", EXT2_S_IFDIR | 0755, NULL, &b), KERN_SUCCESS);
		CHECK_EQ(make("/a/b", "f", EXT2_S_IFREG | 0644, NULL, &b), KERN_SUCCESS);
		CHECK(node_at("/a", &a) && node_at("/", &root));
		CHECK_EQ(a.inode.i_links_count, 3);
		CHECK_EQ(root.inode.i_links_count, root_links + 1);
		CHECK_EQ(make("/", "a", EXT2_S_IFREG | 0644, NULL, &b), FS_EXISTS);
		CHECK_EQ(remove_name("/", "a", true), FS_NOT_EMPTY);
		CHECK_EQ(remove_name("/a", "b", false), FS_IS_DIRECTORY);
		CHECK_EQ(remove_name("/a/b", "f", true), FS_NOT_DIRECTORY);
		CHECK_EQ(remove_name("/a", "..", true), FS_INVALID_MOVE);
		CHECK_EQ(remove_name("/a/b", "f", false), KERN_SUCCESS);
		CHECK_EQ(remove_name("/a", "b", true), KERN_SUCCESS);
		CHECK_EQ(remove_name("/", "a", true), KERN_SUCCESS);
		CHECK_EQ(fs.super.s_free_inodes_count, inodes_before);
		CHECK_EQ(fs.super.s_free_blocks_count, blocks_before);
		CHECK(node_at("/", &root));
		CHECK_EQ(root.inode.i_links_count, root_links);
	}
	finish();
}

HOST_TEST(hard_links_share_the_file_until_the_last_goes)
{
	struct ext2_node node, dir;

	if (start("1k.img") && node_at("/big", &node) && node_at("/dir", &dir)) {
		CHECK_EQ(ext2_link(&fs, &dir, "big-too", 7, &node, NOW), KERN_SUCCESS);
		CHECK_EQ(node.inode.i_links_count, 2);
		CHECK_EQ(ext2_link(&fs, &dir, "sub", 3, &node, NOW), FS_EXISTS);
		CHECK(node_at("/dir", &dir));
		CHECK_EQ(ext2_link(&fs, &dir, "x", 1, &dir, NOW), FS_IS_DIRECTORY);
		CHECK_EQ(remove_name("/", "big", false), KERN_SUCCESS);
		CHECK(node_at("/dir/big-too", &node));
		CHECK_EQ(node.inode.i_links_count, 1);
		CHECK_EQ(ext2_node_size(&node), 588895);
	}
	finish();
}

HOST_TEST(symbolic_links_fast_and_slow_are_made_and_read)
{
	struct ext2_node node;
	char target[EXT2FS_PATH_MAX], longer[200];

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	if (start("1k.img")) {
		CHECK_EQ(make("/", "s1", EXT2_S_IFLNK | 0777, "dir/sub/deep.txt", &node),
			 KERN_SUCCESS);
		CHECK_EQ(node.inode.i_blocks, 0);
		CHECK_EQ(make("/", "s2", EXT2_S_IFLNK | 0777, longer, &node), KERN_SUCCESS);
		CHECK_EQ(node.inode.i_blocks, 2);
		CHECK_EQ(ext2_readlink(&fs, &node, target, sizeof(target)), KERN_SUCCESS);
		CHECK_STR(target, longer);
		CHECK_EQ(make("/", "s3", EXT2_S_IFLNK | 0777, "", &node), KERN_INVALID_ARGUMENT);
		CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/s1", true, &node), KERN_SUCCESS);
		CHECK_EQ(ext2_node_size(&node), 18);
		CHECK_EQ(remove_name("/", "s1", false), KERN_SUCCESS);
		CHECK_EQ(remove_name("/", "s2", false), KERN_SUCCESS);
	}
	finish();
}

HOST_TEST(rename_moves_replaces_and_refuses_as_posix_says)
{
	struct ext2_node node, dir;

	if (start("1k.img")) {
		CHECK_EQ(move("/", "hello.txt", "/", "hi.txt"), KERN_SUCCESS);
		CHECK_EQ(move("/", "hi.txt", "/dir/sub", "hi.txt"), KERN_SUCCESS);
		CHECK_EQ(move("/dir/sub", "hi.txt", "/dir/sub", "deep.txt"), KERN_SUCCESS);
		CHECK(node_at("/dir/sub/deep.txt", &node));
		CHECK_EQ(ext2_node_size(&node), strlen("hello, ext2\n"));
		/* A directory to another parent: its ".." follows. */
		CHECK_EQ(move("/dir", "sub", "/many", "sub"), KERN_SUCCESS);
		CHECK(node_at("/many/sub/..", &dir) && node_at("/many", &node));
		CHECK_EQ(dir.ino, node.ino);
		CHECK(node_at("/dir", &dir));
		CHECK_EQ(dir.inode.i_links_count, 2);
		CHECK_EQ(node.inode.i_links_count, 3);
		/* Refusals. */
		CHECK_EQ(move("/", "many", "/many/sub", "x"), FS_INVALID_MOVE);
		CHECK_EQ(move("/", "many", "/many", "x"), FS_INVALID_MOVE);
		CHECK_EQ(move("/", "dir", "/", "many"), FS_NOT_EMPTY);
		CHECK_EQ(move("/", "big", "/", "empty"), FS_IS_DIRECTORY);
		CHECK_EQ(move("/", "empty", "/", "big"), FS_NOT_DIRECTORY);
		CHECK_EQ(move("/", "nothing", "/", "x"), FS_NOT_FOUND);
		CHECK_EQ(move("/", "..", "/", "x"), FS_INVALID_MOVE);
		/* A directory over an empty one; a file over itself. */
		CHECK_EQ(move("/", "dir", "/", "empty"), KERN_SUCCESS);
		CHECK_EQ(move("/", "link", "/", "link"), KERN_SUCCESS);
		CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/dir", true, &dir), FS_NOT_FOUND);
		CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/empty/abs-link", false, &dir),
			 KERN_SUCCESS);
	}
	finish();
}

HOST_TEST(a_thousand_files_in_one_directory_come_and_half_go)
{
	struct ext2_node node, dir;
	char name[32];

	if (start("1k.img")) {
		CHECK_EQ(make("/", "crowd", EXT2_S_IFDIR | 0755, NULL, &dir), KERN_SUCCESS);
		for (unsigned i = 0; i < 1000; i++) {
			snprintf(name, sizeof(name), "a-rather-long-file-name-%u", i);
			if (!CHECK_EQ(make("/crowd", name, EXT2_S_IFREG | 0644, NULL, &node),
				      KERN_SUCCESS))
				break;
		}
		for (unsigned i = 0; i < 1000; i += 2) {
			snprintf(name, sizeof(name), "a-rather-long-file-name-%u", i);
			CHECK_EQ(remove_name("/crowd", name, false), KERN_SUCCESS);
		}
		CHECK(node_at("/crowd/a-rather-long-file-name-999", &node));
		CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/crowd/a-rather-long-file-name-998",
				    false, &node),
			 FS_NOT_FOUND);
	}
	finish();
}

HOST_TEST(a_full_disk_says_so_and_stays_consistent)
{
	struct ext2_node node;
	static uint8_t chunk[64 * 1024];
	kern_return_t kr = KERN_SUCCESS;
	size_t done;
	uint64_t at = 0;

	if (start("1k.img") &&
	    CHECK_EQ(make("/", "filler", EXT2_S_IFREG | 0644, NULL, &node), KERN_SUCCESS)) {
		/* A caller the reserved blocks are not for stops short of them. */
		fs.keep_reserved = true;
		while (kr == KERN_SUCCESS) {
			kr = ext2_write(&fs, &node, at, chunk, sizeof(chunk), &done);
			at += done;
		}
		CHECK_EQ(kr, FS_NO_SPACE);
		CHECK(fs.super.s_r_blocks_count > 0);
		CHECK_EQ(fs.super.s_free_blocks_count, fs.super.s_r_blocks_count);
		fs.keep_reserved = false;
		kr = KERN_SUCCESS;
		while (kr == KERN_SUCCESS) {
			kr = ext2_write(&fs, &node, at, chunk, sizeof(chunk), &done);
			at += done;
		}
		CHECK_EQ(kr, FS_NO_SPACE);
		CHECK_EQ(fs.super.s_free_blocks_count, 0);
		CHECK_EQ(ext2_node_size(&node), at);
		CHECK_EQ(make("/", "one-more-dir", EXT2_S_IFDIR | 0755, NULL, &node), FS_NO_SPACE);
		CHECK_EQ(remove_name("/", "filler", false), KERN_SUCCESS);
		CHECK(fs.super.s_free_blocks_count > 1000);
	}
	finish();
}

HOST_TEST(bad_names_and_a_read_only_file_system_are_refused)
{
	struct ext2_node node, root;
	char name[300];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	if (start("1k.img") && node_at("/", &root)) {
		CHECK_EQ(make("/", name, EXT2_S_IFREG | 0644, NULL, &node), FS_NAME_TOO_LONG);
		CHECK_EQ(make("/", "a/b", EXT2_S_IFREG | 0644, NULL, &node), KERN_INVALID_ARGUMENT);
		CHECK_EQ(make("/", "", EXT2_S_IFREG | 0644, NULL, &node), KERN_INVALID_ARGUMENT);
		CHECK_EQ(make("/", "x", 0644, NULL, &node), KERN_INVALID_ARGUMENT);
		CHECK_EQ(make("/hello.txt", "x", EXT2_S_IFREG | 0644, NULL, &node),
			 FS_NOT_DIRECTORY);
		fs.read_only = true;
		CHECK_EQ(make("/", "x", EXT2_S_IFREG | 0644, NULL, &node), FS_READ_ONLY);
		CHECK(node_at("/hello.txt", &node));
		size_t done;
		CHECK_EQ(ext2_write(&fs, &node, 0, "x", 1, &done), FS_READ_ONLY);
		fs.read_only = false;
	}
	finish();
}
