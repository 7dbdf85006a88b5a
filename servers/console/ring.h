/*
 * A queue of bytes in a fixed buffer whose size is a power of two.  head
 * and tail count every byte ever taken and put, so they never wrap in
 * practice (2^64 bytes) and a position in the stream can be remembered:
 * the output queue's writers wait until head passes the end of their
 * bytes.  One owner; no locking (the console has one thread).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct ring {
	uint8_t *bytes;
	uint32_t size;    /* a power of two */
	uint64_t head;    /* bytes taken so far: the next to take is bytes[head % size] */
	uint64_t tail;    /* bytes put so far */
};

#define RING_INIT(buffer) { .bytes = (buffer), .size = sizeof(buffer) }

static inline uint32_t ring_used(const struct ring *r)
{
	return (uint32_t)(r->tail - r->head);
}

static inline uint32_t ring_room(const struct ring *r)
{
	return r->size - ring_used(r);
}

/* Appends c; false (and nothing changes) if the ring is full. */
static inline bool ring_put(struct ring *r, uint8_t c)
{
	if (ring_room(r) == 0)
		return false;
	r->bytes[r->tail++ & (r->size - 1)] = c;
	return true;
}

/* The i-th byte from the head (i < ring_used). */
static inline uint8_t ring_peek(const struct ring *r, uint32_t i)
{
	return r->bytes[(r->head + i) & (r->size - 1)];
}

/* Takes the byte at the head into *c; false if the ring is empty. */
static inline bool ring_get(struct ring *r, uint8_t *c)
{
	if (ring_used(r) == 0)
		return false;
	*c = r->bytes[r->head++ & (r->size - 1)];
	return true;
}

/* Drops everything queued. */
static inline void ring_clear(struct ring *r)
{
	r->head = r->tail;
}
