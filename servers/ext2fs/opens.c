/*
 * Open files: a table of OPENS_MAX, each with a port of its own (a
 * receive right in the server's port set) by which clients name it.  A
 * request names an open by a send right, which arrives under the receive
 * right's name, so the table is searched by port name.  An open ends at
 * close, or when no client holds a send right to it any more (the
 * no-senders notification).  An inode that nothing names any more (its
 * links are 0) lives on while an open or a mapping has it, and goes at
 * the last one's end.
 */
#include "server.h"

static struct open opens[OPENS_MAX];

/* The port of an open, in the server's set, asking for no-senders. */
static kern_return_t open_port(mach_port_t *port)
{
	mach_port_t self = mach_task_self(), previous = MACH_PORT_NULL;
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_request_notification(self, *port, MACH_NOTIFY_NO_SENDERS, 1, *port,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (kr == KERN_SUCCESS)
		kr = pager_server_add_port(&file_server, *port);
	if (kr != KERN_SUCCESS)
		mach_port_destroy(self, *port);
	return kr;
}

kern_return_t open_new(uint32_t ino, uint32_t flags, struct cred cred, struct open **o)
{
	mach_port_t port;
	unsigned i = 0;

	while (i < OPENS_MAX && opens[i].port != MACH_PORT_NULL)
		i++;
	if (i == OPENS_MAX)
		return KERN_RESOURCE_SHORTAGE;
	kern_return_t kr = open_port(&port);
	if (kr != KERN_SUCCESS)
		return kr;
	opens[i] = (struct open){ .port = port, .ino = ino, .flags = flags, .cred = cred };
	*o = &opens[i];
	return KERN_SUCCESS;
}

struct open *open_lookup(mach_port_t name)
{
	for (unsigned i = 0; name != MACH_PORT_NULL && i < OPENS_MAX; i++)
		if (opens[i].port == name)
			return &opens[i];
	return NULL;
}

bool open_has(uint32_t ino)
{
	for (unsigned i = 0; i < OPENS_MAX; i++)
		if (opens[i].port != MACH_PORT_NULL && opens[i].ino == ino)
			return true;
	return false;
}

kern_return_t open_node(const struct open *o, struct ext2_node *node)
{
	return ext2_inode_read(&ext2fs, o->ino, node);
}

kern_return_t release_if_unused(struct ext2_node *node)
{
	if (node->inode.i_links_count != 0 || open_has(node->ino) || map_has(node->ino))
		return KERN_SUCCESS;
	return ext2_delete(&ext2fs, node, server_now());
}

void open_end(struct open *o)
{
	struct ext2_node node;
	uint32_t ino = o->ino;

	mach_port_destroy(mach_task_self(), o->port);
	*o = (struct open){ 0 };
	/* An inode's links may have gone to 0 while it was open. */
	if (ext2_inode_read(&ext2fs, ino, &node) == KERN_SUCCESS)
		release_if_unused(&node);
}

void open_gone(mach_port_t port)
{
	struct open *o = open_lookup(port);

	if (o != NULL)
		open_end(o);
}

bool may_use_reserved(struct cred cred)
{
	const struct ext2_super *s = &ext2fs.super;

	return cred.uid == 0 || cred.uid == s->s_def_resuid ||
	       (s->s_def_resgid != 0 && cred.gid == s->s_def_resgid);
}

bool may(const struct ext2_node *node, struct cred cred, unsigned want)
{
	uint32_t uid = node->inode.i_uid | (uint32_t)node->inode.i_uid_high << 16;
	uint32_t gid = node->inode.i_gid | (uint32_t)node->inode.i_gid_high << 16;
	unsigned mode = node->inode.i_mode;
	unsigned have = cred.uid == uid ? mode >> 6 : cred.gid == gid ? mode >> 3 : mode;

	if (cred.uid == 0) {
		/* Root may do anything but run what no one may run. */
		bool runs = want & 1 && ext2_node_type(node) != EXT2_S_IFDIR;
		return !runs || (mode & 0111) != 0;
	}
	return (want & ~have & 7) == 0;
}
