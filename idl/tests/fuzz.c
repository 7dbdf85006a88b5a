/*
 * Feeds every generated demux (rt.defs and the project's
 * interfaces) thousands of malformed requests, from a fixed seed, and
 * checks that each structurally broken one is refused with
 * MIG_BAD_ARGUMENTS and that nothing crashes, leaks or reads outside the
 * message (the program is built with ASan and UBSan).
 *
 * The corpus is every request the user stubs send in rt_exercise(),
 * pager_exercise() and system_exercise(), captured as the server
 * receives it.  A mutated
 * request keeps the guarantees a receiver really has from the kernel: it
 * is exactly msgh_size bytes long, and every descriptor that says it is
 * out-of-line memory points to that many bytes.  Everything else is fair
 * game: sizes, counts, descriptor kinds and rights, any byte.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_corpus.h"
#include "loopback.h"
#include "pager_servers.h"
#include "rt_client.h"
#include "rt_server.h"
#include "system_servers.h"
#include "test.h"

#define SEED 0x5eedf00dcafe1234ull
#define ROUNDS 100        /* mutations per sample and kind */
#define MAX_MESSAGE 16384 /* beyond any demux's maximum */

enum kind {
	ORIGINAL,        /* unchanged: must be accepted */
	TRUNCATE,        /* fewer bytes than the request had */
	EXTEND,          /* more bytes */
	DESCRIPTOR_TYPE, /* a descriptor claims another kind */
	BAD_RIGHT,       /* a right no receiver can hold */
	COMPLEX_FLIP,    /* the complex bit toggled */
	DESCRIPTOR_COUNT,/* the body counts more or fewer descriptors */
	OOL_SIZE,        /* a region's size or a port array's count changed */
	CORRUPT,         /* random words and bytes anywhere */
	KINDS,
};

static const char *const kind_names[KINDS] = {
	"well_formed_requests_are_accepted",
	"truncated_requests_are_refused",
	"extended_requests_are_refused",
	"descriptor_type_confusion_is_refused",
	"impossible_rights_are_refused",
	"complex_bit_flips_are_refused",
	"descriptor_count_changes_are_refused",
	"out_of_line_size_mismatches_are_refused",
	"random_corruption_is_survived",
};

static uint64_t rng = SEED;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* A request under test, with the regions the "kernel" mapped for it. */
struct trial {
	mach_msg_header_t *msg;
	void *regions[64];
	unsigned nregions;
};

static mach_msg_descriptor_t *descriptors(mach_msg_header_t *m,
					  mach_msg_size_t *n)
{
	mach_msg_body_t *body = (mach_msg_body_t *)(m + 1);

	*n = 0;
	if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    m->msgh_size < sizeof *m + sizeof *body)
		return NULL;
	*n = body->msgh_descriptor_count;
	if (*n > (m->msgh_size - sizeof *m - sizeof *body) / 16)
		*n = (m->msgh_size - sizeof *m - sizeof *body) / 16;
	return (mach_msg_descriptor_t *)(body + 1);
}

static void *region(struct trial *t, const struct sample *s, unsigned i,
		    size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (p == NULL || t->nregions == 64)
		abort();
	for (size_t j = 0; j < size; j++)
		p[j] = i < s->nregions && j < s->region_sizes[i]
			       ? s->regions[i][j] : (uint8_t)rnd();
	t->regions[t->nregions++] = p;
	return p;
}

/* What the kernel guarantees: each region is there, of its size. */
static void map_regions(struct trial *t, const struct sample *s)
{
	mach_msg_size_t n;
	mach_msg_descriptor_t *d = descriptors(t->msg, &n);

	for (mach_msg_size_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_OOL_DESCRIPTOR) {
			if (d[i].out_of_line.size > (1u << 20))
				d[i].out_of_line.size = 1u << 20;
			d[i].out_of_line.address =
				region(t, s, i, d[i].out_of_line.size);
		} else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			if (d[i].ool_ports.count > (1u << 16))
				d[i].ool_ports.count = 1u << 16;
			d[i].ool_ports.address =
				region(t, s, i, d[i].ool_ports.count * 4u);
		}
	}
}

static mach_msg_size_t mutated_size(const struct sample *s, enum kind k)
{
	if (k == TRUNCATE)
		return below(s->size);
	if (k == EXTEND)
		return s->size + 1 + below(64);
	return s->size;
}

static void new_message(struct trial *t, const struct sample *s,
			mach_msg_size_t size)
{
	mach_msg_size_t alloc = size < sizeof(mach_msg_header_t)
					? sizeof(mach_msg_header_t) : size;
	uint8_t *m = malloc(alloc);

	if (m == NULL)
		abort();
	for (mach_msg_size_t i = 0; i < alloc; i++)
		m[i] = i < s->size ? s->bytes[i] : (uint8_t)rnd();
	t->msg = (mach_msg_header_t *)m;
	t->msg->msgh_size = size;
	t->nregions = 0;
}

/* Adds a multiple of 2^28 to one of the first words of inline data,
 * where counts live: multiplied by an element size, such a count wraps
 * around to the byte count it had. */
static void wrap_count(struct trial *t)
{
	uint8_t *m = (uint8_t *)t->msg;
	mach_msg_size_t n, start = sizeof(mach_msg_header_t), at;
	uint32_t w;

	if (descriptors(t->msg, &n) != NULL)
		start += sizeof(mach_msg_body_t) + 16 * n;
	at = start + 4 * below(16);
	if (at + 4 > t->msg->msgh_size)
		return;
	memcpy(&w, m + at, 4);
	w += (1u + below(15)) << 28;
	memcpy(m + at, &w, 4);
}

static void corrupt(struct trial *t)
{
	static const uint32_t words[] = { 0, 1, 7, 8, 0x7fffffff, 0x80000000,
					  0xffffffff, 0xfffffff8, 64, 4096 };
	uint8_t *m = (uint8_t *)t->msg;
	mach_msg_size_t size = t->msg->msgh_size;
	mach_msg_size_t at;
	uint32_t w;

	/* Offsets 0-7 are the bits and the size: the kernel wrote those. */
	if (size <= 8)
		return;
	for (unsigned n = 1 + below(3); n > 0; n--) {
		switch (below(3)) {
		case 0:
			m[8 + below(size - 8)] = (uint8_t)rnd();
			break;
		case 1:
			wrap_count(t);
			break;
		default:
			at = (8 + below(size - 8)) & ~3u;
			w = rnd() & 1 ? words[below(10)] : rnd();
			if (at >= 8 && at + 4 <= size)
				memcpy(m + at, &w, 4);
			break;
		}
	}
}

/* Applies a structural mutation; false if this sample cannot take it. */
static int mutate(struct trial *t, enum kind k)
{
	mach_msg_size_t n;
	mach_msg_descriptor_t *d = descriptors(t->msg, &n), *one;

	if (k == ORIGINAL || k == TRUNCATE || k == EXTEND)
		return 1;
	if (k == COMPLEX_FLIP) {
		t->msg->msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
		return 1;
	}
	if (k == CORRUPT) {
		corrupt(t);
		return 1;
	}
	if (n == 0)
		return 0;
	if (k == DESCRIPTOR_COUNT) {
		((mach_msg_body_t *)(t->msg + 1))->msgh_descriptor_count +=
			rnd() & 1 ? 1 + below(3) : (mach_msg_size_t)-1;
		return 1;
	}
	one = &d[below(n)];
	if (k == DESCRIPTOR_TYPE) {
		one->type.type = (uint8_t)(one->type.type + 1 + below(254));
		return 1;
	}
	if (k == BAD_RIGHT) {
		uint8_t bad = (uint8_t)(rnd() & 1 ? below(16) : 19 + below(237));

		if (one->type.type == MACH_MSG_PORT_DESCRIPTOR)
			one->port.disposition = bad;
		else if (one->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			one->ool_ports.disposition = bad;
		else
			return 0;
		return 1;
	}
	/* OOL_SIZE */
	if (one->type.type == MACH_MSG_OOL_DESCRIPTOR)
		one->out_of_line.size += 1 + below(4096);
	else if (one->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
		one->ool_ports.count += 1 + below(64);
	else
		return 0;
	return 1;
}

/* What the receive loop does after the demux: the server took the
 * regions only if it succeeded; free what is left, and the reply's. */
static void settle(struct trial *t, mach_msg_header_t *reply)
{
	mig_reply_error_t *err = (mig_reply_error_t *)reply;
	int simple = !(reply->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	mach_msg_size_t n;
	mach_msg_descriptor_t *d;

	if (simple && err->RetCode != KERN_SUCCESS &&
	    err->RetCode != MIG_NO_REPLY)
		for (unsigned i = 0; i < t->nregions; i++)
			free(t->regions[i]);
	d = descriptors(reply, &n);
	for (mach_msg_size_t i = 0; i < n; i++) {
		if (d[i].type.type == MACH_MSG_OOL_DESCRIPTOR &&
		    d[i].out_of_line.deallocate)
			free(d[i].out_of_line.address);
		else if (d[i].type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
			 d[i].ool_ports.deallocate)
			free(d[i].ool_ports.address);
	}
	free(t->msg);
}

enum outcome { RIGHT, WRONG, SKIPPED };

/* One trial: did the demux answer as it must? */
static enum outcome run_trial(const struct sample *s, enum kind k)
{
	struct trial t;
	mach_msg_header_t *reply = malloc(s->max_reply);
	mig_reply_error_t *err = (mig_reply_error_t *)reply;
	enum outcome bad = RIGHT;

	if (reply == NULL)
		abort();
	new_message(&t, s, mutated_size(s, k));
	if (!mutate(&t, k)) {
		free(t.msg);
		free(reply);
		return SKIPPED;
	}
	map_regions(&t, s);
	s->demux(t.msg, reply);
	if (reply->msgh_size > s->max_reply || reply->msgh_size % 8 != 0)
		bad = WRONG;
	else if (k == ORIGINAL && !(reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		 (err->RetCode == MIG_BAD_ARGUMENTS || err->RetCode == MIG_BAD_ID))
		bad = WRONG;
	else if (k != ORIGINAL && k != CORRUPT &&
		 ((reply->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
		  err->RetCode != MIG_BAD_ARGUMENTS))
		bad = WRONG;
	settle(&t, reply);
	free(reply);
	return bad;
}

static int fuzz_subsystem(const char *name, mig_demux_t demux)
{
	int failed = 0;

	for (enum kind k = 0; k < KINDS; k++) {
		unsigned trials = 0, misses = 0;

		for (unsigned i = 0; i < corpus_size; i++) {
			if (corpus[i].demux != demux)
				continue;
			for (unsigned r = 0; r < (k == ORIGINAL ? 1 : ROUNDS);
			     r++) {
				enum outcome o = run_trial(&corpus[i], k);

				trials += o != SKIPPED;
				misses += o == WRONG;
			}
		}
		if (misses)
			printf("# %u of %u trials went wrong\n", misses,
			       trials);
		printf("%sok - fuzz_%s_%s (%u trials)\n", misses ? "not " : "",
		       name, kind_names[k], trials);
		failed |= misses != 0;
	}
	return failed;
}

int main(void)
{
	unsigned wrong;
	int failed;

	rt_serve();
	pager_serve();
	kernel_serve();
	user_serve();
	unix_serve();
	corpus_start();
	rt_exercise();
	pager_exercise();
	wrong = system_exercise() + unix_exercise();
	corpus_stop();
	printf("%sok - fuzz_seed_calls_of_the_system_interfaces_are_answered "
	       "(%u wrong)\n", wrong ? "not " : "", wrong);
	failed = wrong != 0;
	failed |= corpus_check_coverage();
	for (unsigned i = 0; i < corpus_nports; i++)
		failed |= fuzz_subsystem(corpus_ports[i].name,
					 corpus_ports[i].subsystem->demux);
	corpus_free();
	return failed;
}
