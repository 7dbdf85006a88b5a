/*
 * execve: a program replaces the process's task with a new one.
 *
 * The file is opened with the process's credentials and its first page
 * read.  "#!" names an interpreter, which runs with the script's path as
 * an argument (one level: an interpreter that is a script is ENOEXEC).
 * Otherwise it must be a static ELF64 executable for x86_64; the
 * kernel's own checks (kernel/kern/elf.c) vouch for its headers.  Each
 * loadable segment is mapped copy-on-write from the file's memory object
 * (fs_map), so the file server pages the program's text in as it is
 * touched; what lies past a segment's file bytes is zero-filled memory.
 * The stack is the System V initial stack (libc/unix/start.c reads it).
 * Only when the new task is complete is the old one terminated.
 */
#include "emul.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unixServer.h>

#include "kern/elf.h"

#define TRUNC(x) ((x) & ~(PAGE - 1))
#define ROUND(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define STACK_TOP 0x00007ffffff00000ull
#define STACK_SIZE (8ull << 20)
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9

/* A program being loaded. */
struct image {
	mach_port_t file;           /* open for reading */
	uint64_t size;
	char head[PAGE];            /* its first page */
	uint32_t head_size;
	mach_port_t object;         /* its memory object, once mapped */
	task_t task;
};

static void image_close(struct image *im)
{
	fs_close(im->file);
	mach_port_deallocate(mach_task_self(), im->file);
	if (im->object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), im->object);
}

static int image_open(struct proc *p, const char *path, struct image *im)
{
	struct fs_stat st;
	uint32_t got = 0;
	struct file f = { .port = MACH_PORT_NULL };

	int error = file_open_port(p, path, FS_OPEN_READ, 0, &im->file);
	if (error != 0)
		return error;
	f.port = im->file;
	error = file_stat_port(im->file, &st);
	if (error == 0 && (st.mode & FS_S_IFMT) != FS_S_IFREG)
		error = -EACCES;
	/* The file server says whether these credentials may execute it. */
	vm_prot_t max = VM_PROT_NONE;
	if (error == 0 && fs_map(im->file, &im->object, &max) != KERN_SUCCESS)
		error = -EACCES;
	if (error == 0 && !(max & VM_PROT_EXECUTE))
		error = -EACCES;
	if (error == 0)
		error = file_read(&f, PAGE, im->head, &got);
	if (error != 0) {
		image_close(im);
		return error;
	}
	im->size = st.size;
	im->head_size = got;
	return 0;
}

static vm_prot_t prot_of(uint32_t flags)
{
	return (flags & ELF_PF_R ? VM_PROT_READ : 0) | (flags & ELF_PF_W ? VM_PROT_WRITE : 0) |
	       (flags & ELF_PF_X ? VM_PROT_EXECUTE : 0);
}

/* The bytes of a segment's last file page past its file bytes: zero. */
static kern_return_t zero_tail(task_t task, uint64_t end)
{
	vm_offset_t data;
	mach_msg_type_number_t count;
	kern_return_t kr = vm_read(task, TRUNC(end), PAGE, &data, &count);

	if (kr != KERN_SUCCESS)
		return kr;
	memset((char *)data + (end - TRUNC(end)), 0, PAGE - (end - TRUNC(end)));
	kr = vm_write(task, TRUNC(end), data, PAGE);
	vm_deallocate(mach_task_self(), data, count);
	return kr;
}

static kern_return_t map_segment(struct image *im, const struct elf64_phdr *ph)
{
	vm_address_t start = TRUNC(ph->vaddr);
	uint64_t file_end = ph->vaddr + ph->filesz, mem_end = ROUND(ph->vaddr + ph->memsz);
	vm_prot_t prot = prot_of(ph->flags);
	kern_return_t kr = KERN_SUCCESS;

	if (ph->filesz > 0) {
		kr = vm_map(im->task, &start, ROUND(file_end) - start, 0, FALSE, im->object,
			    TRUNC(ph->offset), TRUE, prot, VM_PROT_ALL, VM_INHERIT_COPY);
		if (kr == KERN_SUCCESS && file_end % PAGE != 0 && ph->memsz > ph->filesz)
			kr = zero_tail(im->task, file_end);
		start = ROUND(file_end);
	}
	if (kr == KERN_SUCCESS && mem_end > start) {
		kr = vm_allocate(im->task, &start, mem_end - start, FALSE);
		if (kr == KERN_SUCCESS && !(prot & VM_PROT_WRITE))
			kr = vm_protect(im->task, start, mem_end - start, FALSE, prot);
	}
	return kr;
}

/* The ELF program of im into its new task; the entry point in *entry. */
static int load_elf(struct image *im, uint64_t *entry)
{
	const struct elf64_ehdr *eh = (const void *)im->head;
	const char *why;

	if (im->head_size < sizeof(*eh) || eh->phoff > im->head_size ||
	    (im->head_size - eh->phoff) / sizeof(struct elf64_phdr) < eh->phnum ||
	    elf_check_executable(im->head, im->size, &why) != KERN_SUCCESS)
		return -ENOEXEC;
	const struct elf64_phdr *ph = (const void *)(im->head + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD)
			continue;
		kern_return_t kr = map_segment(im, &ph[i]);
		if (kr != KERN_SUCCESS)
			return kr == KERN_RESOURCE_SHORTAGE ? -ENOMEM : -ENOEXEC;
	}
	*entry = eh->entry;
	return 0;
}

/* Where the program headers are in memory: in the segment that maps
 * their file bytes; 0 if none does. */
static uint64_t phdr_address(const struct elf64_ehdr *eh)
{
	const struct elf64_phdr *ph = (const void *)((const char *)eh + eh->phoff);

	for (unsigned i = 0; i < eh->phnum; i++)
		if (ph[i].type == ELF_PT_LOAD && eh->phoff >= ph[i].offset &&
		    eh->phoff - ph[i].offset < ph[i].filesz)
			return ph[i].vaddr + (eh->phoff - ph[i].offset);
	return 0;
}

/*
 * The initial stack in the new task: argc, argv, NULL, envp, NULL, the
 * auxiliary vector, then the strings at the top; its address (16-byte
 * aligned) in *sp.
 */
static int build_stack(struct image *im, const char *args, size_t size, unsigned argc,
		       unsigned envc, uint64_t *sp)
{
	const struct elf64_ehdr *eh = (const void *)im->head;
	uint64_t aux[] = { AT_PHDR, phdr_address(eh), AT_PHENT, sizeof(struct elf64_phdr),
			   AT_PHNUM, eh->phnum, AT_PAGESZ, PAGE, AT_ENTRY, eh->entry,
			   AT_NULL, 0 };
	uint64_t words = 1 + argc + 1 + envc + 1 + sizeof(aux) / 8;
	uint64_t strings = STACK_TOP - ((size + 15) & ~15ull);
	uint64_t bytes = ROUND(words * 8 + (STACK_TOP - strings) + 16);
	uint64_t low = STACK_TOP - bytes;
	vm_address_t base = STACK_TOP - STACK_SIZE;
	char *image = calloc(1, bytes);

	if (image == NULL)
		return -ENOMEM;
	*sp = (strings - words * 8) & ~15ull;
	memcpy(image + (strings - low), args, size);
	uint64_t *w = (uint64_t *)(image + (*sp - low));
	*w++ = argc;
	const char *s = args;
	for (unsigned i = 0; i < argc + envc; i++) {
		if (i == argc)
			*w++ = 0;   /* argv's end, before the environment */
		*w++ = strings + (uint64_t)(s - args);
		s += strlen(s) + 1;
	}
	if (envc == 0)
		*w++ = 0;   /* argv's end */
	*w++ = 0;           /* envp's end */
	memcpy(w, aux, sizeof(aux));
	kern_return_t kr = vm_allocate(im->task, &base, STACK_SIZE, FALSE);
	if (kr == KERN_SUCCESS)
		kr = vm_write(im->task, low, (vm_offset_t)image, bytes);
	free(image);
	return kr == KERN_SUCCESS ? 0 : -ENOMEM;
}

/* Whether args (size bytes) is exactly count NUL-terminated strings. */
static bool args_valid(const char *args, size_t size, unsigned count)
{
	unsigned strings = 0;

	if (size > UNIX_ARGS_MAX || (size > 0 && args[size - 1] != '\0'))
		return false;
	for (size_t i = 0; i < size; i++)
		strings += args[i] == '\0';
	return strings == count;
}

/*
 * A "#!" script's arguments: its interpreter, the one argument the line
 * may give, the script's path, then the old arguments but the first,
 * and the environment; in a new buffer (*out, *out_size), with its
 * interpreter's path in interp.
 */
static int script_args(const struct image *im, const char *path, const char *args,
		       size_t size, unsigned *argc, char *interp, char **out, size_t *out_size)
{
	char line[128];
	size_t n = 0;

	for (size_t i = 2; i < im->head_size && im->head[i] != '\n'; i++) {
		if (n + 1 >= sizeof(line))
			return -ENOEXEC;
		line[n++] = im->head[i];
	}
	line[n] = '\0';
	char *p = line + strspn(line, " \t");
	char *name = strsep(&p, " \t");
	char *arg = p != NULL ? p + strspn(p, " \t") : NULL;
	if (name == NULL || name[0] == '\0')
		return -ENOEXEC;
	if (arg != NULL)
		arg[strcspn(arg, " \t")] = '\0';
	bool has_arg = arg != NULL && arg[0] != '\0';
	size_t first = *argc > 0 ? strlen(args) + 1 : 0;   /* the old argv[0], dropped */
	size_t need = strlen(name) + 1 + (has_arg ? strlen(arg) + 1 : 0) + strlen(path) + 1 +
		      (size - first);
	if (need > UNIX_ARGS_MAX)
		return -E2BIG;
	char *buf = malloc(need), *at = buf;
	if (buf == NULL)
		return -ENOMEM;
	at = stpcpy(at, name) + 1;
	if (has_arg)
		at = stpcpy(at, arg) + 1;
	at = stpcpy(at, path) + 1;
	memcpy(at, args + first, size - first);
	*argc = *argc - (*argc > 0) + 2 + has_arg;
	strcpy(interp, name);
	*out = buf;
	*out_size = need;
	return 0;
}

/* argv (the first argc of args' strings) joined by spaces, for ps. */
static void command_line(const char *args, size_t size, unsigned argc,
			 char line[UNIX_COMMAND_MAX])
{
	size_t at = 0;

	for (size_t i = 0; i < size && argc > 0 && at < UNIX_COMMAND_MAX - 1; i++) {
		if (args[i] == '\0' && --argc == 0)
			break;
		line[at++] = args[i] == '\0' ? ' ' : args[i];
	}
	line[at] = '\0';
}

/* The rest of exec once the program is loaded: the stack, the thread,
 * the process's state, and the old task's end. */
static int exec_switch(struct proc *p, struct image *im, uint64_t entry, const char *path,
		       const char *args, size_t size, unsigned argc, unsigned envc)
{
	uint64_t sp;
	int error = build_stack(im, args, size, argc, envc, &sp);
	task_t old = p->task;

	if (error != 0)
		return error;
	p->task = im->task;
	if (proc_start_thread(p, entry, sp, 0) != KERN_SUCCESS) {
		p->task = old;
		return -ENOMEM;
	}
	im->task = MACH_PORT_NULL;
	fd_close_all(p, true);
	signal_exec(p, entry);
	const char *base = strrchr(path, '/');
	strlcpy(p->command, base != NULL ? base + 1 : path, sizeof(p->command));
	char name[TASK_NAME_MAX + 1];
	strlcpy(name, p->command, sizeof(name));
	task_set_name(p->task, name);   /* for the log and the debugger only */
	char line[UNIX_COMMAND_MAX];
	command_line(args, size, argc, line);
	proc_exec(proc_server, p->pid, p->task, line);
	if (old != MACH_PORT_NULL) {
		task_terminate(old);
		mach_port_deallocate(mach_task_self(), old);
	}
	return 0;
}

/* path loaded into a new task; script says whether it may be a script. */
static int exec_image(struct proc *p, const char *path, const char *args, size_t size,
		      unsigned argc, unsigned envc, bool script)
{
	struct image *im = calloc(1, sizeof(*im));
	uint64_t entry;

	if (im == NULL)
		return -ENOMEM;
	int error = image_open(p, path, im);
	if (error != 0) {
		free(im);
		return error;
	}
	if (script && im->head_size >= 2 && im->head[0] == '#' && im->head[1] == '!') {
		char interp[128], *buf;
		size_t buf_size;
		error = script_args(im, path, args, size, &argc, interp, &buf, &buf_size);
		image_close(im);
		free(im);
		if (error != 0)
			return error;
		error = exec_image(p, interp, buf, buf_size, argc, envc, false);
		free(buf);
		return error;
	}
	if (task_create(mach_task_self(), FALSE, &im->task) != KERN_SUCCESS)
		error = -ENOMEM;
	if (error == 0)
		error = load_elf(im, &entry);
	if (error == 0)
		error = exec_switch(p, im, entry, path, args, size, argc, envc);
	if (im->task != MACH_PORT_NULL) {
		task_terminate(im->task);
		mach_port_deallocate(mach_task_self(), im->task);
	}
	image_close(im);
	free(im);
	return error;
}

int exec_program(struct proc *p, const char *path, const char *args, size_t args_size,
		 unsigned argc, unsigned envc)
{
	if (!args_valid(args, args_size, argc + envc))
		return -E2BIG;
	return exec_image(p, path, args, args_size, argc, envc, true);
}

kern_return_t unix_S_execve(mach_port_t port, unix_path_t path, vm_offset_t args,
			    mach_msg_type_number_t argsCnt, uint32_t argc, uint32_t envc,
			    int64_t *result)
{
	EMUL_CALLER(p, port);
	*result = exec_program(p, path, (const char *)args, argsCnt, argc, envc);
	if (argsCnt > 0)
		vm_deallocate(mach_task_self(), args, argsCnt);
	return KERN_SUCCESS;
}
