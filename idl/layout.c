/*
 * Message layout: the members of each generated request and reply
 * struct, at offsets computed here rather than left to the C compiler.
 * Explicit padding members are zeroed by the generated code, so no stale
 * bytes of one task's stack (or of the kernel's) travel in a message;
 * and since hidden padding could only make a struct larger, the
 * generated assertion sizeof == max_size proves the C compiler agrees.
 *
 * Order (kernel/include/mach/message.h): header; for complex messages
 * the body and one descriptor per port, OOL or OOL-ports argument; for
 * replies the return code; the inline fixed fields and element counts in
 * argument order; padding to 8; then the variable arrays ("tails"), each
 * at its maximum size rounded up to 8.  At run time the tails are packed
 * in the same order, each starting at a multiple of 8.
 */
#include "routine.h"

#define HEADER_SIZE 32u
#define BODY_SIZE 8u
#define DESCRIPTOR_SIZE 16u

struct builder {
	struct layout *l;
	unsigned cap;
	unsigned offset;
	unsigned pads;
};

static unsigned round_up(unsigned n, unsigned align)
{
	return (n + align - 1) / align * align;
}

static void add(struct builder *b, enum field_kind kind, const char *name,
		struct arg *a, unsigned size)
{
	struct layout *l = b->l;
	struct field *f;

	if (l->nfields == b->cap) {
		struct field *old = l->fields;

		b->cap = b->cap ? 2 * b->cap : 16;
		l->fields = xcalloc(b->cap, sizeof *l->fields);
		for (unsigned i = 0; i < l->nfields; i++)
			l->fields[i] = old[i];
	}
	f = &l->fields[l->nfields++];
	f->kind = kind;
	f->name = name;
	f->arg = a;
	f->offset = b->offset;
	f->size = size;
	b->offset += size;
}

/* Pads to `align` with an explicit member. */
static void align_to(struct builder *b, unsigned align)
{
	unsigned next = round_up(b->offset, align);

	if (next != b->offset)
		add(b, F_PAD, xasprintf("mig_pad%u", b->pads++), NULL,
		    next - b->offset);
}

static bool carried(const struct arg *a, bool reply)
{
	return reply ? a->in_reply : a->in_request;
}

static void add_descriptors(struct builder *b, struct routine *r, bool reply)
{
	for_each_arg(a, r)
		if (carried(a, reply) && arg_is_descriptor(a))
			b->l->descriptors++;
	if (b->l->descriptors == 0)
		return;
	add(b, F_BODY, "msgh_body", NULL, BODY_SIZE);
	for_each_arg(a, r) {
		if (!carried(a, reply) || !arg_is_descriptor(a))
			continue;
		add(b, a->kind == AK_PORT ? F_PORT
		       : a->kind == AK_OOL ? F_OOL : F_OOL_PORTS,
		    a->name, a, DESCRIPTOR_SIZE);
	}
}

static void add_inline(struct builder *b, struct arg *a)
{
	const struct type *t = a->type;

	switch (a->kind) {
	case AK_SCALAR:
		align_to(b, t->size);
		add(b, F_SCALAR, a->name, a, t->size);
		break;
	case AK_STRUCT:
	case AK_FIXED:
		align_to(b, type_wire_align(t));
		add(b, F_BYTES, a->name, a, type_wire_size(t));
		break;
	default:
		if (!arg_has_wire_count(a))
			break;
		align_to(b, 4);
		add(b, F_COUNT, a->count_name, a, 4);
		break;
	}
}

static void layout_message(struct routine *r, struct layout *l, bool reply)
{
	struct builder b = { .l = l, .offset = HEADER_SIZE };

	add_descriptors(&b, r, reply);
	if (reply)
		add(&b, F_RETCODE, "RetCode", NULL, 4);
	for_each_arg(a, r)
		if (carried(a, reply))
			add_inline(&b, a);
	align_to(&b, 8);
	l->fixed_size = b.offset;
	for_each_arg(a, r) {
		if (!carried(a, reply) || !arg_is_tail(a))
			continue;
		add(&b, F_TAIL, a->name, a,
		    round_up(a->type->count * type_elem_size(a->type), 8));
		l->tails++;
	}
	l->max_size = b.offset;
}

void layout_routine(struct routine *r)
{
	layout_message(r, &r->request, false);
	layout_message(r, &r->reply, true);
}
