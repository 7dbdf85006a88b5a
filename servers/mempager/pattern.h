/*
 * The words mempager's fill writes and the checksum its checksum
 * computes (idl/defs/mempager.defs), for its clients to compute the same
 * over what they see through a mapping.  Both work on 64-bit words at
 * byte offsets of the object that are multiples of 8.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define MEMPAGER_CHECKSUM_START 0xcbf29ce484222325ull

/* The word fill(seed) puts at byte offset `offset` of the object. */
static inline uint64_t mempager_pattern(uint64_t seed, uint64_t offset)
{
	uint64_t z = seed + (offset / 8 + 1) * 0x9e3779b97f4a7c15ull;   /* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The checksum mempager_checksum answers, of count words: from
 * MEMPAGER_CHECKSUM_START, or on from the sum of the words before them. */
static inline uint64_t mempager_sum(uint64_t sum, const volatile uint64_t *words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		sum = (((sum << 5) | (sum >> 59)) ^ words[i]) * 0x100000001b3ull;
	return sum;
}
