/* The host tests' images as devices in memory (image.h). */
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* What a write overwrote. */
struct overwritten {
	uint64_t offset;
	size_t length;
	uint8_t *was;
};

static kern_return_t image_write(void *cookie, uint64_t offset, const void *buf, size_t length)
{
	struct image *img = cookie;

	if (offset > img->size || length > img->size - offset) {
		img->outside++;
		return FS_IO_ERROR;
	}
	if (img->journal) {
		if (img->undos == img->undo_room) {
			img->undo_room = img->undo_room * 2 + 16;
			img->undo = realloc(img->undo, img->undo_room * sizeof(*img->undo));
		}
		struct overwritten *o = &img->undo[img->undos++];
		*o = (struct overwritten){ offset, length, malloc(length) };
		memcpy(o->was, img->data + offset, length);
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

void image_rollback(struct image *img)
{
	while (img->undos > 0) {
		struct overwritten *o = &img->undo[--img->undos];
		memcpy(img->data + o->offset, o->was, o->length);
		free(o->was);
	}
}

void image_free(struct image *img)
{
	image_rollback(img);
	free(img->undo);
	free(img->data);
	*img = (struct image){ 0 };
}

/* img written to a file of its own; its path. */
static const char *image_save(const struct image *img)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/ext2fs-test-%d.img", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return NULL;
	bool ok = fwrite(img->data, 1, img->size, f) == img->size;
	return fclose(f) == 0 && ok ? path : NULL;
}

int image_fsck(const struct image *img)
{
	const char *path = image_save(img);
	char command[256], line[512];

	if (path == NULL)
		return -1;
	snprintf(command, sizeof(command), "e2fsck -fn %s 2>&1", path);
	FILE *p = popen(command, "r");
	if (p == NULL)
		return -1;
	char log[64][512];
	unsigned lines = 0;
	while (fgets(line, sizeof(line), p) != NULL)
		if (lines < 64)
			snprintf(log[lines++], sizeof(log[0]), "%s", line);
	int status = pclose(p);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	for (unsigned i = 0; code != 0 && i < lines; i++)
		printf("# e2fsck: %s", log[i]);
	unlink(path);
	return code;
}

bool image_debugfs_cat(const struct image *img, const char *path, char **data, size_t *size)
{
	const char *file = image_save(img);
	char command[512];

	if (file == NULL)
		return false;
	snprintf(command, sizeof(command), "debugfs -R 'cat %s' %s 2>/dev/null", path, file);
	FILE *p = popen(command, "r");
	size_t room = 1 << 16, n = 0, got;
	*data = malloc(room);
	while (p != NULL && (got = fread(*data + n, 1, room - n, p)) > 0) {
		n += got;
		if (n == room)
			*data = realloc(*data, room *= 2);
	}
	bool ok = p != NULL && pclose(p) == 0;
	*size = n;
	unlink(file);
	return ok;
}
