/*
 * The host tests' images (mkimages.sh) as devices in memory: an image is
 * read whole into a buffer, which the tests may corrupt, and every read
 * the file system makes is checked to lie inside it and counted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ext2fs.h"

struct image {
	uint8_t *data;
	uint64_t size;
	uint64_t reads;        /* the file system's reads so far */
	uint64_t outside;      /* of those, reads past the end: bugs */
	bool journal;          /* keep what writes overwrite, for image_rollback */
	struct overwritten *undo;
	size_t undos, undo_room;
	struct ext2_dev dev;
};

/* The images' directory (the build's), and a file in it. */
const char *image_path(const char *name);
/* Loads image name (1k.img, ...) into img; false if it cannot. */
bool image_load(struct image *img, const char *name);
/* A copy of from in to, its own buffer. */
void image_copy(struct image *to, const struct image *from);
void image_free(struct image *img);
/* Takes back every write since the journal was last empty. */
void image_rollback(struct image *img);
/* The host's e2fsck -fn on img (written to a file): its exit status, 0
 * if the file system is clean; its words printed as diagnostics if not. */
int image_fsck(const struct image *img);
/* The host's debugfs -R "cat path" on img: the file's bytes, malloc'd, in
 * *data and *size; false if debugfs failed. */
bool image_debugfs_cat(const struct image *img, const char *path, char **data, size_t *size);

/* Whether ext2_complain prints (the fuzzer keeps it quiet). */
extern bool image_complaints;
