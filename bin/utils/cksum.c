/* cksum [FILE...]: POSIX's CRC (the polynomial of Ethernet, MSB first,
 * the length folded in), and the byte count, of each. */
#include "util.h"

static uint32_t table[256];

static void table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;
		for (int k = 0; k < 8; k++)
			c = c & 0x80000000u ? (c << 1) ^ 0x04c11db7u : c << 1;
		table[i] = c;
	}
}

static uint32_t step(uint32_t crc, uint8_t byte)
{
	return (crc << 8) ^ table[(crc >> 24) ^ byte];
}

static void sum(FILE *f, const char *name, void *arg)
{
	unsigned char buf[4096];
	uint32_t crc = 0;
	uint64_t size = 0;
	size_t n;

	(void)arg;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++)
			crc = step(crc, buf[i]);
		size += n;
	}
	for (uint64_t length = size; length != 0; length >>= 8)
		crc = step(crc, (uint8_t)length);
	printf(name != NULL ? "%u %llu %s\n" : "%u %llu\n", (unsigned)~crc,
	       (unsigned long long)size, name);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int i = util_start(argc, argv, "", "[FILE...]", "print each file's CRC and size", seen,
			   NULL);

	table_init();
	if (i == argc) {
		sum(stdin, NULL, NULL);
		return 0;
	}
	return util_each_file(argc, argv, i, sum, NULL);
}
