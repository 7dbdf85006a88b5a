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
	struct ext2_dev dev;
};

/* The images' directory (the build's), and a file in it. */
const char *image_path(const char *name);
/* Loads image name (1k.img, ...) into img; false if it cannot. */
bool image_load(struct image *img, const char *name);
/* A copy of from in to, its own buffer. */
void image_copy(struct image *to, const struct image *from);
void image_free(struct image *img);
/* Whether ext2_complain prints (the fuzzer keeps it quiet). */
extern bool image_complaints;
