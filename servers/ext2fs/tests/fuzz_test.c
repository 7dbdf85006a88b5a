/*
 * Corrupted images, made from a fixed seed: each a copy of one of the
 * test images (mkimages.sh) with a few of its metadata bytes overwritten
 * -- the superblock, the group descriptors, inode tables, directory
 * blocks, indirect blocks -- by random bytes and by the values that break
 * things (0, all ones, the block and inode counts and their neighbours).
 * Each is mounted and, if it mounts, walked whole -- every directory
 * listed, every file read at its start and its end, every link read and
 * followed -- and then changed: a file made, written, cut and removed, a
 * directory made, renamed and removed, existing files cut, written,
 * unlinked and moved (the writes are taken back after).  Under
 * AddressSanitizer and UBSan nothing may crash; no read or write may
 * fall outside the image; every image must be done within a budget
 * of reads and five seconds (no hang).
 *
 *   EXT2FS_FUZZ_IMAGES=N (1,000 in make test)  EXT2FS_FUZZ_SEED=S
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_test.h"
#include "image.h"

#define READS_MAX 2000000    /* a walk's device reads: past it, a hang */
#define ENTRIES_MAX 5000     /* a walk's directory entries */
#define DEPTH_MAX 12
#define REGIONS_MAX 4096

static const char *const bases[] = { "1k.img", "4k.img", "full.img" };
#define BASES (sizeof(bases) / sizeof(bases[0]))

/* What a stretch of a base image worth lying in holds: each kind is as
 * likely to be picked, however many stretches it has. */
enum kind { SUPER, GROUPS, TABLE, INODE, DIRECTORY, INDIRECT, KINDS };

/* A stretch: [offset, offset + length). */
struct region {
	uint64_t offset;
	uint32_t length;
};

static struct base {
	struct image img;      /* the clean image, lied in and mended for each run */
	struct region region[KINDS][REGIONS_MAX];
	unsigned regions[KINDS];
	uint32_t blocks, inodes;
} base[BASES];

/* The lies told in a base's image, to take back: at most LIES_MAX. */
#define LIES_MAX 6
struct undo {
	unsigned lies;
	uint64_t at[LIES_MAX];
	uint8_t was[LIES_MAX][4];
};

static struct ext2_fs fs;
static uint64_t state;
static uint64_t current_seed;

static uint64_t next_random(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static void add_region(struct base *b, enum kind kind, uint64_t offset, uint32_t length)
{
	if (b->regions[kind] < REGIONS_MAX && offset + length <= b->img.size)
		b->region[kind][b->regions[kind]++] = (struct region){ offset, length };
}

static void add_block(struct base *b, enum kind kind, uint32_t block)
{
	if (block != 0)
		add_region(b, kind, (uint64_t)block * fs.block_size, fs.block_size);
}

/* The blocks of a clean base worth lying in, found by walking it. */
static void collect(struct base *b, uint32_t ino, unsigned depth)
{
	struct ext2_node node, dir;
	struct ext2_entry e;
	uint32_t per_block = fs.block_size / fs.inode_size;
	uint32_t index = (ino - 1) % fs.super.s_inodes_per_group;

	if (depth > DEPTH_MAX || ext2_inode_get(&fs, ino, &node) != KERN_SUCCESS)
		return;
	/* The inode itself, in its table. */
	add_region(b, INODE,
		   ((uint64_t)fs.group[(ino - 1) / fs.super.s_inodes_per_group].bg_inode_table +
		    index / per_block) * fs.block_size + index % per_block * fs.inode_size,
		   EXT2_GOOD_OLD_INODE_SIZE);
	for (unsigned i = EXT2_IND_BLOCK; i < EXT2_N_BLOCKS; i++)
		add_block(b, INDIRECT, node.inode.i_block[i]);
	if (ext2_node_type(&node) == EXT2_S_IFLNK)
		add_block(b, INDIRECT, node.inode.i_blocks != 0 ? node.inode.i_block[0] : 0);
	if (ext2_node_type(&node) != EXT2_S_IFDIR)
		return;
	dir = node;
	for (uint64_t lblock = 0; lblock * fs.block_size < ext2_node_size(&dir); lblock++) {
		uint32_t block;
		if (ext2_bmap(&fs, &dir, lblock, &block) == KERN_SUCCESS)
			add_block(b, DIRECTORY, block);
	}
	for (uint64_t at = 0; ext2_dir_next(&fs, &dir, at, &e) == KERN_SUCCESS; at = e.next)
		if (strcmp(e.name, ".") != 0 && strcmp(e.name, "..") != 0)
			collect(b, e.ino, depth + 1);
}

static bool load_bases(void)
{
	for (unsigned i = 0; i < BASES; i++) {
		struct base *b = &base[i];
		if (!CHECK(image_load(&b->img, bases[i])) ||
		    !CHECK_EQ(ext2_mount(&fs, &b->img.dev), KERN_SUCCESS))
			return false;
		b->blocks = fs.super.s_blocks_count;
		b->inodes = fs.super.s_inodes_count;
		add_region(b, SUPER, EXT2_SUPER_OFFSET, 1024);
		add_block(b, GROUPS, fs.super.s_first_data_block + 1);
		for (uint32_t g = 0; g < fs.groups; g++)
			add_block(b, TABLE, fs.group[g].bg_inode_table);
		collect(b, EXT2_ROOT_INO, 0);
	}
	return true;
}

/* A value that breaks things, or a random one. */
static uint32_t lie(const struct base *b)
{
	const uint32_t values[] = { 0, 0xffffffff, 1, 2, b->blocks, b->blocks - 1, b->inodes,
				    b->inodes + 1, 0x80000000, 12, 4096 };
	uint64_t r = next_random();

	return r % 3 == 0 ? values[(r >> 8) % (sizeof(values) / sizeof(values[0]))]
			  : (uint32_t)(r >> 16);
}

/* A few lies in b's image, noted in *u. */
static void corrupt(struct base *b, struct undo *u)
{
	u->lies = 1 + next_random() % LIES_MAX;
	for (unsigned i = 0; i < u->lies; i++) {
		enum kind kind = (enum kind)(next_random() % KINDS);
		while (b->regions[kind] == 0)
			kind = (kind + 1) % KINDS;
		const struct region *r = &b->region[kind][next_random() % b->regions[kind]];
		uint64_t at = (r->offset + next_random() % r->length) & ~3ull;
		uint32_t v = lie(b);
		u->at[i] = at;
		memcpy(u->was[i], b->img.data + at, 4);
		if (next_random() % 2 == 0)
			b->img.data[at + next_random() % 4] = (uint8_t)v;
		else
			memcpy(b->img.data + at, &v, 4);
	}
}

/* b's image clean again. */
static void mend(struct base *b, const struct undo *u)
{
	for (unsigned i = u->lies; i-- > 0;)
		memcpy(b->img.data + u->at[i], u->was[i], 4);
}

static unsigned entries;

/* Everything of the inode ino, as a program would touch it. */
static void walk(uint32_t ino, unsigned depth)
{
	static char buf[64 * 1024];
	struct ext2_node node, other;
	struct ext2_entry e;
	size_t done;

	if (depth > DEPTH_MAX || ext2_inode_get(&fs, ino, &node) != KERN_SUCCESS)
		return;
	uint64_t size = ext2_node_size(&node);
	switch (ext2_node_type(&node)) {
	case EXT2_S_IFDIR:
		for (uint64_t at = 0; entries < ENTRIES_MAX &&
				      ext2_dir_next(&fs, &node, at, &e) == KERN_SUCCESS;
		     at = e.next, entries++) {
			if (strcmp(e.name, ".") != 0 && strcmp(e.name, "..") != 0)
				walk(e.ino, depth + 1);
			ext2_namei(&fs, ino, e.name, true, &other);
		}
		break;
	case EXT2_S_IFLNK:
		ext2_readlink(&fs, &node, buf, EXT2FS_PATH_MAX);
		break;
	default:
		ext2_read(&fs, &node, 0, buf, sizeof(buf), &done);
		if (size > 4096)
			ext2_read(&fs, &node, size - 4096, buf, 4096, &done);
		break;
	}
}

static void remove_file(struct ext2_node *dir, const char *name, bool rmdir)
{
	struct ext2_node node;

	if (ext2_unlink(&fs, dir, name, strlen(name), rmdir, 1, &node) == KERN_SUCCESS &&
	    node.inode.i_links_count == 0)
		ext2_delete(&fs, &node, 1);
}

/* Changes to the tree, as a program would make them; what each returns
 * does not matter, only that it returns. */
static void scribble(void)
{
	static const char data[3000] = "scribbled";
	struct ext2_node root, dir, node, replaced;
	struct ext2_new how = { .mode = EXT2_S_IFREG | 0644, .now = 1 };
	size_t done;

	if (ext2_inode_get(&fs, EXT2_ROOT_INO, &root) != KERN_SUCCESS)
		return;
	if (ext2_create(&fs, &root, "fuzz", 4, &how, &node) == KERN_SUCCESS) {
		ext2_write(&fs, &node, 0, data, sizeof(data), &done);
		ext2_write(&fs, &node, 300 * 1024, data, sizeof(data), &done);
		ext2_truncate(&fs, &node, 100);
		remove_file(&root, "fuzz", false);
	}
	how.mode = EXT2_S_IFDIR | 0755;
	if (ext2_create(&fs, &root, "fuzz-dir", 8, &how, &dir) == KERN_SUCCESS &&
	    ext2_rename(&fs, &root, "fuzz-dir", 8, &root, "fuzz-dir2", 9, 1, &replaced) ==
		    KERN_SUCCESS)
		remove_file(&root, "fuzz-dir2", true);
	if (ext2_namei(&fs, EXT2_ROOT_INO, "/big", false, &node) == KERN_SUCCESS &&
	    ext2_node_type(&node) == EXT2_S_IFREG) {
		ext2_truncate(&fs, &node, 1000);
		ext2_write(&fs, &node, 500 * 1024, data, sizeof(data), &done);
	}
	if (ext2_namei(&fs, EXT2_ROOT_INO, "/many", false, &dir) == KERN_SUCCESS)
		remove_file(&dir, "file-7", false);
	if (ext2_namei(&fs, EXT2_ROOT_INO, "/dir", false, &dir) == KERN_SUCCESS &&
	    ext2_inode_get(&fs, EXT2_ROOT_INO, &root) == KERN_SUCCESS)
		ext2_rename(&fs, &root, "hello.txt", 9, &dir, "hello", 5, 1, &replaced);
	ext2_sync(&fs);
}

static void timed_out(int signal)
{
	(void)signal;
	printf("# image of seed %llu: not done in 5 s (a hang)\n",
	       (unsigned long long)current_seed);
	_exit(1);
}

HOST_TEST(corrupted_images_neither_crash_nor_hang_nor_read_outside)
{
	const char *n = getenv("EXT2FS_FUZZ_IMAGES"), *s = getenv("EXT2FS_FUZZ_SEED");
	unsigned images = n != NULL ? (unsigned)strtoul(n, NULL, 0) : 1000;
	uint64_t seed = s != NULL ? strtoull(s, NULL, 0) : 20261121;
	unsigned mounted = 0, refused = 0;

	image_complaints = false;
	if (!load_bases())
		return;
	signal(SIGALRM, timed_out);
	for (unsigned i = 0; i < images; i++) {
		struct base *b = &base[i % BASES];
		struct image *img = &b->img;
		struct undo u;
		current_seed = state = seed + i;
		next_random();
		corrupt(b, &u);
		img->reads = 0;
		alarm(5);
		if (ext2_mount(&fs, &img->dev) == KERN_SUCCESS) {
			mounted++;
			entries = 0;
			walk(EXT2_ROOT_INO, 0);
			img->journal = true;
			scribble();
			image_rollback(img);
			img->journal = false;
		} else {
			refused++;
		}
		alarm(0);
		if (!CHECK_EQ(img->outside, 0) || !CHECK(img->reads < READS_MAX))
			printf("# image of seed %llu\n", (unsigned long long)current_seed);
		mend(b, &u);
	}
	for (unsigned i = 0; i < BASES; i++)
		image_free(&base[i].img);
	printf("# %u images from seed %llu: %u mounted and walked, %u refused\n", images,
	       (unsigned long long)seed, mounted, refused);
}
