/* The host tests' images as devices in memory (image.h). */
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool image_complaints = true;

void ext2_complain(const char *format, ...)
{
	va_list ap;

	if (!image_complaints)
		return;
	va_start(ap, format);
	printf("# ");
	vprintf(format, ap);
	printf("\n");
	va_end(ap);
}

static kern_return_t image_read(void *cookie, uint64_t offset, void *buf, size_t length)
{
	struct image *img = cookie;

	img->reads++;
	if (offset > img->size || length > img->size - offset) {
		img->outside++;
		return FS_IO_ERROR;
	}
	memcpy(buf, img->data + offset, length);
	return KERN_SUCCESS;
}

static kern_return_t image_write(void *cookie, uint64_t offset, const void *buf, size_t length)
{
	struct image *img = cookie;

	if (offset > img->size || length > img->size - offset) {
		img->outside++;
		return FS_IO_ERROR;
	}
	memcpy(img->data + offset, buf, length);
	return KERN_SUCCESS;
}

static kern_return_t image_flush(void *cookie)
{
	(void)cookie;
	return KERN_SUCCESS;
}

static void image_wire(struct image *img)
{
	img->dev = (struct ext2_dev){ .cookie = img, .size = img->size, .read = image_read,
				      .write = image_write, .flush = image_flush };
}

const char *image_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", EXT2FS_TEST_IMAGES, name);
	return path;
}

bool image_load(struct image *img, const char *name)
{
	FILE *f = fopen(image_path(name), "rb");

	*img = (struct image){ 0 };
	if (f == NULL)
		return false;
	fseek(f, 0, SEEK_END);
	img->size = (uint64_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	img->data = malloc(img->size);
	bool ok = img->data != NULL && fread(img->data, 1, img->size, f) == img->size;
	fclose(f);
	image_wire(img);
	return ok;
}

void image_copy(struct image *to, const struct image *from)
{
	*to = (struct image){ .size = from->size, .data = malloc(from->size) };
	memcpy(to->data, from->data, from->size);
	image_wire(to);
}

void image_free(struct image *img)
{
	free(img->data);
	*img = (struct image){ 0 };
}
