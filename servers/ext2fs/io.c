/*
 * Opening files and moving their bytes (fs.defs: open, close, read,
 * write, seek, stat, readdir).  A path is walked with the open's
 * credentials, each directory on the way needing search permission; the
 * file then needs read or write permission as the open asks.  Data goes
 * out of line both ways.
 */
#include "server.h"

static kern_return_t searchable(const struct ext2_node *dir, void *arg)
{
	return may(dir, *(const struct cred *)arg, 1) ? KERN_SUCCESS : FS_ACCESS_DENIED;
}

kern_return_t walk_as(uint32_t at, const char *path, bool follow, struct cred cred,
		      struct ext2_node *node)
{
	struct ext2_search search = { searchable, &cred };

	return ext2_namei_as(&ext2fs, at, path, follow, &search, node);
}

/* path split at its last name: the directory part (".", "/" or the
 * path before it) in dir_path, the name in *name (len bytes). */
static void split(const char *path, char *dir_path, const char **name, size_t *len)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;   /* "a/b/" names b */
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	*name = path + start;
	*len = n - start;
	if (start == 0) {
		memcpy(dir_path, ".", 2);
	} else {
		memcpy(dir_path, path, start);
		dir_path[start] = '\0';
	}
}

/* The file open is to open: found, or made if CREATE says so. */
static kern_return_t find_or_make(const struct open *dir, const char *path, uint32_t flags,
				  uint32_t mode, struct cred cred, struct ext2_node *node)
{
	static char dir_path[FS_PATH_MAX];
	struct ext2_node parent;
	const char *name;
	size_t len;
	uint32_t ino;

	split(path, dir_path, &name, &len);
	kern_return_t kr = walk_as(dir->ino, dir_path, true, cred, &parent);
	if (kr == KERN_SUCCESS && ext2_node_type(&parent) != EXT2_S_IFDIR)
		kr = FS_NOT_DIRECTORY;
	if (kr == KERN_SUCCESS && len == 0) {
		*node = parent;   /* "/" */
		return KERN_SUCCESS;
	}
	if (kr == KERN_SUCCESS && !may(&parent, cred, 1))
		kr = FS_ACCESS_DENIED;
	if (kr == KERN_SUCCESS)
		kr = ext2_lookup(&ext2fs, &parent, name, len, &ino);
	if (kr == KERN_SUCCESS) {
		if (flags & FS_OPEN_CREATE && flags & FS_OPEN_EXCLUSIVE)
			return FS_EXISTS;
		/* The rest of the path from the name on (a trailing slash
		 * included, which follows a link and wants a directory). */
		return walk_as(parent.ino, name, !(flags & (FS_OPEN_NOFOLLOW | FS_OPEN_LINK)), cred,
			       node);
	}
	if (kr != FS_NOT_FOUND || !(flags & FS_OPEN_CREATE))
		return kr;
	if (!may(&parent, cred, 3))
		return FS_ACCESS_DENIED;
	struct ext2_new how = { .mode = (uint16_t)(EXT2_S_IFREG | (mode & 07777)),
				.uid = cred.uid, .gid = cred.gid, .now = server_now() };
	return ext2_create(&ext2fs, &parent, name, len, &how, node);
}

/* Whether node may be opened as flags says. */
static kern_return_t may_open(struct ext2_node *node, uint32_t flags, struct cred cred)
{
	uint16_t type = ext2_node_type(node);

	if (type == EXT2_S_IFLNK && (flags & (FS_OPEN_LINK | FS_OPEN_WRITE)) == FS_OPEN_LINK)
		return KERN_SUCCESS;   /* the link itself, for its attributes */
	if (type == EXT2_S_IFLNK)
		return FS_LOOP;   /* NOFOLLOW, and it is a link */
	if (flags & FS_OPEN_DIRECTORY && type != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	if (flags & FS_OPEN_WRITE && type == EXT2_S_IFDIR)
		return FS_IS_DIRECTORY;
	if (!(flags & FS_OPEN_ATTRIBUTES) &&
	    !may(node, cred, (flags & FS_OPEN_READ ? 4 : 0) | (flags & FS_OPEN_WRITE ? 2 : 0)))
		return FS_ACCESS_DENIED;
	if (flags & FS_OPEN_TRUNCATE && flags & FS_OPEN_WRITE && type == EXT2_S_IFREG &&
	    ext2_node_size(node) != 0)
		return file_truncate(node, 0);
	return KERN_SUCCESS;
}

kern_return_t fs_S_open(mach_port_t dir, fs_path_t path, uint32_t flags, uint32_t mode,
			uint32_t uid, uint32_t gid, mach_port_t *opened)
{
	struct open *d = open_lookup(dir), *o;
	struct cred cred = { uid, gid };
	struct ext2_node node;

	if (d == NULL)
		return KERN_INVALID_ARGUMENT;
	if (flags & ~FS_OPEN_FLAGS || !(flags & (FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_ATTRIBUTES)) ||
	    (flags & (FS_OPEN_ATTRIBUTES | FS_OPEN_WRITE)) == (FS_OPEN_ATTRIBUTES | FS_OPEN_WRITE))
		return KERN_INVALID_VALUE;
	if (path[0] == '\0')
		return FS_NOT_FOUND;
	ext2fs.keep_reserved = !may_use_reserved(cred);
	kern_return_t kr = find_or_make(d, path, flags, mode, cred, &node);
	if (kr == KERN_SUCCESS)
		kr = may_open(&node, flags, cred);
	if (kr == KERN_SUCCESS)
		kr = open_new(node.ino, flags, cred, &o);
	if (kr == KERN_SUCCESS)
		*opened = o->port;
	return kr;
}

kern_return_t fs_S_close(mach_port_t file)
{
	struct open *o = open_lookup(file);

	if (o == NULL)
		return KERN_INVALID_ARGUMENT;
	open_end(o);
	return KERN_SUCCESS;
}

/* o's inode, if o is open as want (FS_OPEN_READ or _WRITE) and neither
 * a directory nor a symbolic link. */
static kern_return_t data_node(const struct open *o, uint32_t want, struct ext2_node *node)
{
	if (o == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!(o->flags & want))
		return FS_ACCESS_DENIED;
	kern_return_t kr = open_node(o, node);
	if (kr == KERN_SUCCESS && ext2_node_type(node) == EXT2_S_IFDIR)
		kr = FS_IS_DIRECTORY;
	if (kr == KERN_SUCCESS && ext2_node_type(node) == EXT2_S_IFLNK)
		kr = KERN_INVALID_ARGUMENT;   /* opened with FS_OPEN_LINK: no data */
	return kr;
}

kern_return_t fs_S_read(mach_port_t file, uint32_t size, vm_offset_t *data,
			mach_msg_type_number_t *dataCnt)
{
	struct open *o = open_lookup(file);
	struct ext2_node node;
	vm_address_t buf = 0;
	size_t done = 0;
	kern_return_t kr = data_node(o, FS_OPEN_READ, &node);

	*data = 0;
	*dataCnt = 0;
	if (kr != KERN_SUCCESS)
		return kr;
	if (size > FS_IO_MAX)
		return KERN_INVALID_VALUE;
	if (size == 0 || o->offset >= ext2_node_size(&node))
		return KERN_SUCCESS;
	if ((kr = vm_allocate(mach_task_self(), &buf, size, TRUE)) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	kr = file_read(&node, o->offset, (void *)buf, size, &done);
	if (kr != KERN_SUCCESS || done == 0) {
		vm_deallocate(mach_task_self(), buf, size);
		return kr;
	}
	o->offset += done;
	*data = buf;
	*dataCnt = (mach_msg_type_number_t)done;
	return KERN_SUCCESS;
}

kern_return_t fs_S_write(mach_port_t file, vm_offset_t data, mach_msg_type_number_t dataCnt,
			 uint32_t *written)
{
	struct open *o = open_lookup(file);
	struct ext2_node node;
	size_t done = 0;
	kern_return_t kr = data_node(o, FS_OPEN_WRITE, &node);

	*written = 0;
	if (kr == KERN_SUCCESS && dataCnt > FS_IO_MAX)
		kr = KERN_INVALID_VALUE;
	if (kr != KERN_SUCCESS)
		return kr;   /* the data goes with the request */
	if (o->flags & FS_OPEN_APPEND)
		o->offset = ext2_node_size(&node);
	kr = file_write(&node, o->offset, (const void *)data, dataCnt, &done);
	if (done == 0)
		return kr;   /* nothing went: the receive loop destroys the data */
	/* Success, perhaps short: the data is the server's to free. */
	vm_deallocate(mach_task_self(), data, dataCnt);
	o->offset += done;
	*written = (uint32_t)done;
	return KERN_SUCCESS;
}

kern_return_t fs_S_seek(mach_port_t file, int64_t offset, uint32_t whence, uint64_t *position)
{
	struct open *o = open_lookup(file);
	struct ext2_node node;
	int64_t base;

	if (o == NULL)
		return KERN_INVALID_ARGUMENT;
	if (whence == FS_SEEK_SET) {
		base = 0;
	} else if (whence == FS_SEEK_CUR) {
		base = (int64_t)o->offset;
	} else if (whence == FS_SEEK_END) {
		kern_return_t kr = open_node(o, &node);
		if (kr != KERN_SUCCESS)
			return kr;
		base = (int64_t)ext2_node_size(&node);
	} else {
		return KERN_INVALID_VALUE;
	}
	if ((offset < 0 && -offset > base) || (offset > 0 && offset > INT64_MAX - base))
		return KERN_INVALID_VALUE;
	o->offset = (uint64_t)(base + offset);
	*position = o->offset;
	return KERN_SUCCESS;
}

kern_return_t fs_S_stat(mach_port_t file, fs_stat_t *st)
{
	struct open *o = open_lookup(file);
	struct ext2_node node;
	kern_return_t kr = o != NULL ? open_node(o, &node) : KERN_INVALID_ARGUMENT;

	if (kr != KERN_SUCCESS)
		return kr;
	const struct ext2_inode *i = &node.inode;
	*st = (fs_stat_t){
		.ino = node.ino, .mode = i->i_mode, .links = i->i_links_count,
		.uid = i->i_uid | (uint32_t)i->i_uid_high << 16,
		.gid = i->i_gid | (uint32_t)i->i_gid_high << 16,
		.size = ext2_node_size(&node), .blocks = i->i_blocks,
		.atime = i->i_atime, .mtime = i->i_mtime, .ctime = i->i_ctime,
		.block_size = ext2fs.block_size, .generation = i->i_generation,
		.flags = i->i_flags,
	};
	return KERN_SUCCESS;
}

/* The entries of dir from *cookie on packed into buf (size bytes), *used
 * of them; *cookie where to go on from. */
static kern_return_t pack(const struct ext2_node *dir, uint64_t *cookie, uint8_t *buf,
			  uint32_t size, uint32_t *used)
{
	struct ext2_entry e;
	kern_return_t kr;

	*used = 0;
	while ((kr = ext2_dir_next(&ext2fs, dir, *cookie, &e)) == KERN_SUCCESS) {
		uint32_t n = (uint32_t)FS_DIRENT_SIZE(e.name_len);
		if (n > size - *used)
			return KERN_SUCCESS;
		struct fs_dirent *d = (struct fs_dirent *)(buf + *used);
		*d = (struct fs_dirent){ .ino = e.ino, .cookie = e.next, .rec_len = (uint16_t)n,
					 .type = e.type, .name_len = e.name_len };
		memcpy(d->name, e.name, e.name_len + 1u);
		*used += n;
		*cookie = e.next;
	}
	if (kr == FS_NOT_FOUND) {
		*cookie = FS_DIR_END;
		return KERN_SUCCESS;
	}
	return kr;
}

kern_return_t fs_S_readdir(mach_port_t dir, uint64_t cookie, uint32_t size, vm_offset_t *entries,
			   mach_msg_type_number_t *entriesCnt, uint64_t *next)
{
	struct open *o = open_lookup(dir);
	struct ext2_node node;
	vm_address_t buf = 0;
	uint32_t used = 0;
	kern_return_t kr = o != NULL ? open_node(o, &node) : KERN_INVALID_ARGUMENT;

	*entries = 0;
	*entriesCnt = 0;
	*next = FS_DIR_END;
	if (kr == KERN_SUCCESS && ext2_node_type(&node) != EXT2_S_IFDIR)
		kr = FS_NOT_DIRECTORY;
	if (kr == KERN_SUCCESS && !(o->flags & FS_OPEN_READ))
		kr = FS_ACCESS_DENIED;
	if (kr == KERN_SUCCESS && (size < FS_DIRENT_SIZE(EXT2_NAME_MAX) || size > FS_IO_MAX))
		kr = KERN_INVALID_VALUE;
	if (kr != KERN_SUCCESS || cookie == FS_DIR_END)
		return kr;
	if (vm_allocate(mach_task_self(), &buf, size, TRUE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	kr = pack(&node, &cookie, (uint8_t *)buf, size, &used);
	if (kr != KERN_SUCCESS || used == 0) {
		vm_deallocate(mach_task_self(), buf, size);
		*next = kr == KERN_SUCCESS ? cookie : FS_DIR_END;
		return kr;
	}
	/* The send moves the pages the entries are on: the rest go now. */
	vm_size_t kept = (used + PAGER_PAGE_SIZE - 1) & ~(vm_size_t)(PAGER_PAGE_SIZE - 1);
	vm_size_t allocated = (size + PAGER_PAGE_SIZE - 1) & ~(vm_size_t)(PAGER_PAGE_SIZE - 1);
	if (kept < allocated)
		vm_deallocate(mach_task_self(), buf + kept, allocated - kept);
	*entries = buf;
	*entriesCnt = used;
	*next = cookie;
	return KERN_SUCCESS;
}
