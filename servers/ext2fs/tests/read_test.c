/*
 * ext2fs reading images that mke2fs -d made (mkimages.sh), against the
 * staging tree they were made from: every name and every byte, with 1 and
 * 4 KiB blocks and with mke2fs's default features; sparse files, links
 * (fast, slow, absolute, looping); and the errors of paths.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_test.h"
#include "image.h"

static const char *const images[] = { "1k.img", "4k.img", "full.img" };
#define IMAGES (sizeof(images) / sizeof(images[0]))

static struct ext2_fs fs;

static bool mount_image(struct image *img, const char *name)
{
	return CHECK(image_load(img, name)) && CHECK_EQ(ext2_mount(&fs, &img->dev), KERN_SUCCESS);
}

/* The host file at path (under the staging tree), whole, in *data. */
static bool host_file(const char *path, char **data, size_t *size)
{
	char full[1024];
	snprintf(full, sizeof(full), "%s/tree%s", EXT2FS_TEST_IMAGES, path);
	FILE *f = fopen(full, "rb");
	if (f == NULL)
		return false;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	*data = malloc(*size + 1);
	bool ok = fread(*data, 1, *size, f) == *size;
	fclose(f);
	return ok;
}

/* The file at path reads in the image as on the host. */
static bool reads_as_on_the_host(const char *path)
{
	struct ext2_node node;
	char *want = NULL;
	size_t size = 0, done = 0;

	if (!CHECK(host_file(path, &want, &size)) ||
	    !CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, path, true, &node), KERN_SUCCESS)) {
		free(want);
		return false;
	}
	char *got = malloc(size + 1);
	bool ok = CHECK_EQ(ext2_node_size(&node), size) &&
		  CHECK_EQ(ext2_read(&fs, &node, 0, got, size + 1, &done), KERN_SUCCESS) &&
		  CHECK_EQ(done, size) && CHECK(memcmp(got, want, size) == 0);
	if (!ok)
		printf("# %s differs\n", path);
	free(got);
	free(want);
	return ok;
}

/* Every name of the host directory path is in the image's, and no
 * other (lost+found aside); every regular file reads the same, every
 * directory is walked in turn.  *files counts the files. */
static void walk_compare(const char *path, unsigned *files)
{
	char host[1024];
	struct ext2_node dir;
	struct ext2_entry e;
	unsigned in_image = 0, on_host = 0;

	snprintf(host, sizeof(host), "%s/tree%s", EXT2FS_TEST_IMAGES, path);
	if (!CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, path, true, &dir), KERN_SUCCESS))
		return;
	for (uint64_t at = 0; ext2_dir_next(&fs, &dir, at, &e) == KERN_SUCCESS; at = e.next)
		in_image += strcmp(e.name, ".") != 0 && strcmp(e.name, "..") != 0 &&
			    strcmp(e.name, "lost+found") != 0;
	DIR *d = opendir(host);
	for (struct dirent *h; d != NULL && (h = readdir(d)) != NULL;) {
		char child[1024], hostchild[2048];
		struct stat st;
		uint32_t ino;
		if (strcmp(h->d_name, ".") == 0 || strcmp(h->d_name, "..") == 0)
			continue;
		on_host++;
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") == 0 ? "" : path,
			 h->d_name);
		snprintf(hostchild, sizeof(hostchild), "%s/%s", host, h->d_name);
		if (!CHECK_EQ(ext2_lookup(&fs, &dir, h->d_name, strlen(h->d_name), &ino),
			      KERN_SUCCESS) ||
		    lstat(hostchild, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk_compare(child, files);
		else if (S_ISREG(st.st_mode) && reads_as_on_the_host(child))
			(*files)++;
	}
	if (d != NULL)
		closedir(d);
	CHECK_EQ(in_image, on_host);
}

HOST_TEST(images_mount_with_their_geometry)
{
	static const uint32_t block_size[IMAGES] = { 1024, 4096, 1024 };
	struct image img;

	for (unsigned i = 0; i < IMAGES; i++) {
		if (mount_image(&img, images[i])) {
			CHECK_EQ(fs.block_size, block_size[i]);
			uint32_t blocks = 16 * 1024 * 1024 / block_size[i];
			uint32_t per = fs.super.s_blocks_per_group;
			CHECK_EQ(fs.groups, (blocks - fs.super.s_first_data_block + per - 1) / per);
			CHECK(!fs.read_only);
		}
		image_free(&img);
	}
}

HOST_TEST(every_file_reads_as_on_the_host)
{
	struct image img;

	for (unsigned i = 0; i < IMAGES; i++) {
		unsigned files = 0;
		if (mount_image(&img, images[i]))
			walk_compare("/", &files);
		CHECK_EQ(files, 305);   /* hello.txt, zero-length, big, sparse, deep.txt, many/ */
		CHECK_EQ(img.outside, 0);
		image_free(&img);
	}
}

HOST_TEST(a_sparse_file_reads_zeros_in_its_hole_and_data_past_it)
{
	struct image img;
	struct ext2_node node;
	char buf[64];
	size_t done;

	if (!mount_image(&img, "1k.img") ||
	    !CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/sparse", true, &node), KERN_SUCCESS)) {
		image_free(&img);
		return;
	}
	CHECK_EQ(node.inode.i_blocks, 4 * 2);   /* three indirect blocks and the data */
	CHECK_EQ(ext2_read(&fs, &node, 35 * 1024 * 1024, buf, sizeof(buf), &done), KERN_SUCCESS);
	CHECK_EQ(done, sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(ext2_read(&fs, &node, 70 * 1024 * 1024, buf, sizeof(buf), &done), KERN_SUCCESS);
	CHECK_EQ(done, 15);
	CHECK(memcmp(buf, "after the hole\n", 15) == 0);
	CHECK_EQ(ext2_read(&fs, &node, ext2_node_size(&node), buf, 1, &done), KERN_SUCCESS);
	CHECK_EQ(done, 0);
	uint32_t block = 1;
	CHECK_EQ(ext2_bmap(&fs, &node, (uint64_t)1 << 40, &block), KERN_SUCCESS);
	CHECK_EQ(block, 0);
	image_free(&img);
}

HOST_TEST(links_are_followed_fast_slow_and_absolute)
{
	struct image img;
	struct ext2_node node, link;
	char target[EXT2FS_PATH_MAX];

	if (!mount_image(&img, "4k.img")) {
		image_free(&img);
		return;
	}
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/link", false, &link), KERN_SUCCESS);
	CHECK_EQ(ext2_node_type(&link), EXT2_S_IFLNK);
	CHECK_EQ(ext2_readlink(&fs, &link, target, sizeof(target)), KERN_SUCCESS);
	CHECK_STR(target, "hello.txt");
	CHECK_EQ(ext2_readlink(&fs, &link, target, 9), FS_NAME_TOO_LONG);
	CHECK(reads_as_on_the_host("/link"));
	CHECK(reads_as_on_the_host("/dir-link"));
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/long-link", false, &link), KERN_SUCCESS);
	CHECK_EQ(ext2_readlink(&fs, &link, target, sizeof(target)), KERN_SUCCESS);
	CHECK_EQ(strlen(target), 80 + strlen("/../hello.txt"));
	/* An absolute link inside a directory, and a path through it. */
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "dir/abs-link/deep.txt", true, &node),
		 KERN_SUCCESS);
	CHECK_EQ(ext2_node_size(&node), strlen("three levels down\n"));
	CHECK_EQ(ext2_readlink(&fs, &node, target, sizeof(target)), KERN_INVALID_ARGUMENT);
	image_free(&img);
}

HOST_TEST(paths_get_their_errors)
{
	struct image img;
	struct ext2_node node, dir;
	char name[300], path[EXT2FS_PATH_MAX + 10];
	uint32_t ino;

	if (!mount_image(&img, "1k.img")) {
		image_free(&img);
		return;
	}
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/nothing", true, &node), FS_NOT_FOUND);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/hello.txt/x", true, &node), FS_NOT_DIRECTORY);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/hello.txt/", true, &node), FS_NOT_DIRECTORY);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/loop-a", true, &node), FS_LOOP);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/loop-a", false, &node), KERN_SUCCESS);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "", true, &node), KERN_INVALID_ARGUMENT);
	memset(name, 'n', 257);   /* a slash and 256 letters */
	name[0] = '/';
	name[257] = '\0';
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, name, true, &node), FS_NAME_TOO_LONG);
	memset(path, '/', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, path, true, &node), FS_NAME_TOO_LONG);
	/* Slashes repeat, dots are names like any other. */
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "//dir/./sub/..//sub/deep.txt", true, &node),
		 KERN_SUCCESS);
	CHECK_EQ(ext2_namei(&fs, EXT2_ROOT_INO, "/", true, &dir), KERN_SUCCESS);
	CHECK_EQ(dir.ino, EXT2_ROOT_INO);
	CHECK_EQ(ext2_lookup(&fs, &node, "x", 1, &ino), FS_NOT_DIRECTORY);
	CHECK_EQ(ext2_lookup(&fs, &dir, name + 1, 256, &ino), FS_NAME_TOO_LONG);
	CHECK_EQ(ext2_lookup(&fs, &dir, "", 0, &ino), FS_NOT_FOUND);
	image_free(&img);
}

HOST_TEST(directory_entries_carry_their_types)
{
	struct image img;
	struct ext2_node root;
	struct ext2_entry e;
	unsigned seen = 0;

	if (!mount_image(&img, "1k.img") ||
	    !CHECK_EQ(ext2_inode_get(&fs, EXT2_ROOT_INO, &root), KERN_SUCCESS)) {
		image_free(&img);
		return;
	}
	for (uint64_t at = 0; ext2_dir_next(&fs, &root, at, &e) == KERN_SUCCESS; at = e.next) {
		struct ext2_node child;
		if (!CHECK_EQ(ext2_inode_get(&fs, e.ino, &child), KERN_SUCCESS))
			continue;
		CHECK_EQ(e.type, ext2_file_type(ext2_node_type(&child)));
		seen++;
	}
	CHECK_EQ(seen, 15);   /* . .. lost+found and the tree's 12 */
	image_free(&img);
}
