/* x86_64 page tables; see pmap.h. */
#include "arch/x86_64/pmap.h"

#include "arch/x86_64/cpu.h"
#include "kern/kalloc.h"
#include "kern/panic.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "vm/vm_page.h"

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define LARGE_PAGE_SIZE (2ull << 20)

struct pmap kernel_pmap;

extern char kernel_text_start[], kernel_text_end[];
extern char kernel_rodata_start[], kernel_rodata_end[];
extern char kernel_data_start[], kernel_data_end[];
extern char boot_stack_guard[], boot_stack_bottom[];

#define USER_HALF_END 0x0000800000000000ull

static bool is_canonical(uint64_t va)
{
	return va < USER_HALF_END || va >= 0xffff800000000000ull;
}

static bool pte_mapped(uint64_t pte)
{
	return (pte & PTE_P) != 0;
}

/*
 * Mappings of managed pages: the user-half mappings of allocated pages
 * (the VM's).  Each is recorded in its page's pv list, so that a page can
 * be unmapped or write-protected everywhere (pmap_page_protect), and the
 * dirty bit of an entry that goes is kept in the page (PMAP_PAGE_MODIFIED).
 */
static struct vm_page *managed_page(uint64_t va, uint64_t pa)
{
	struct vm_page *pg;

	if (va >= USER_HALF_END || (pg = vm_page_from_phys(pa)) == NULL ||
	    pg->state != VM_PAGE_ALLOCATED)
		return NULL;
	return pg;
}

static bool pv_add(struct vm_page *pg, struct pmap *pmap, uint64_t va)
{
	if (pg->pv.pmap == NULL) {
		pg->pv.pmap = pmap;
		pg->pv.va = va;
		return true;
	}
	struct pv_entry *e = kalloc(sizeof(*e));
	if (e == NULL)
		return false;
	*e = (struct pv_entry){ .pmap = pmap, .va = va, .next = pg->pv.next };
	pg->pv.next = e;
	return true;
}

static void pv_remove(struct vm_page *pg, struct pmap *pmap, uint64_t va)
{
	if (pg->pv.pmap == pmap && pg->pv.va == va) {
		struct pv_entry *n = pg->pv.next;
		if (n == NULL) {
			pg->pv.pmap = NULL;
			return;
		}
		pg->pv = *n;
		kfree(n, sizeof(*n));
		return;
	}
	for (struct pv_entry **l = &pg->pv.next; *l != NULL; l = &(*l)->next) {
		struct pv_entry *e = *l;
		if (e->pmap == pmap && e->va == va) {
			*l = e->next;
			kfree(e, sizeof(*e));
			return;
		}
	}
	panic("pmap: no pv entry for %lx", va);
}

/* An entry of a managed page goes: its pv entry, and its dirty bit kept. */
static void unmanage(uint64_t old, struct pmap *pmap, uint64_t va)
{
	struct vm_page *pg = managed_page(va, old & PTE_ADDR);

	if (pg == NULL)
		return;
	if (old & PTE_D)
		pg->pmap_flags |= PMAP_PAGE_MODIFIED;
	pv_remove(pg, pmap, va);
}

static unsigned index_at(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/*
 * The entry for va at level (1 = page table ... 4 = PML4), allocating
 * missing tables when alloc is set.  NULL if a table is missing (and not
 * allocated) or a large page is in the way.
 */
static bool kernel_top_frozen;  /* task pmaps copy the kernel's top level */

/* A missing table at *e (level l's entry for va), made; false if out of pages. */
static __attribute__((noinline, cold)) bool add_table(struct pmap *pmap, uint64_t *e, uint64_t va,
						    int l)
{
	if (l == 4 && pmap == &kernel_pmap && kernel_top_frozen)
		panic("pmap: a new kernel top-level entry after tasks exist");
	struct vm_page *pg = vm_page_alloc(0);
	if (pg == NULL)
		return false;
	uint64_t pa = vm_page_to_phys(pg);
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	/* Permissions are decided at the leaf. */
	*e = pa | PTE_P | PTE_W | (va < USER_HALF_END ? PTE_U : 0);
	return true;
}

static inline uint64_t leaf_tag_of(uint64_t va)
{
	return va >> 21 | 1ull << 63;
}

static uint64_t *walk(struct pmap *pmap, uint64_t va, int level, bool alloc)
{
	if (level == 1 && pmap->leaf_tag == leaf_tag_of(va))
		return &pmap->leaf[index_at(va, 1)];
	uint64_t *table = pmap->pml4;
	unsigned shift = 39;

	for (int l = 4; l > level; l--, shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];
		if ((*e & (PTE_P | PTE_PS)) != PTE_P) {
			if ((*e & PTE_PS) || !alloc || !add_table(pmap, e, va, l))
				return NULL;
		}
		table = table_of(*e);
	}
	if (level == 1) {
		pmap->leaf_tag = leaf_tag_of(va);
		pmap->leaf = table;
	}
	return &table[(va >> shift) & 511];
}

/*
 * The bits of a 4 KiB entry for prot (not VM_PROT_NONE, which is no
 * entry); x86 cannot refuse reads of a present page, so any protection
 * is readable.
 */
static uint64_t pte_bits(uint64_t va, vm_prot_t prot)
{
	uint64_t bits = PTE_P;

	if (prot & VM_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		bits |= PTE_NX;
	bits |= va < USER_HALF_END ? PTE_U : PTE_G;
	return bits;
}

static kern_return_t enter(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot,
			   uint64_t cache);

kern_return_t pmap_enter(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot)
{
	return enter(pmap, va, pa, prot, 0);
}

kern_return_t pmap_enter_device(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot,
				bool uncached)
{
	return enter(pmap, va, pa, prot, uncached ? PTE_PCD | PTE_PWT : 0);
}

/* pmap_enter with the page's cache bits (PTE_PCD, PTE_PWT). */
static kern_return_t enter(struct pmap *pmap, uint64_t va, uint64_t pa, vm_prot_t prot,
			   uint64_t cache)
{
	if ((va | pa) & (PAGE_SIZE - 1) || !is_canonical(va) || (pa & ~PTE_ADDR) != 0 ||
	    (prot & ~VM_PROT_ALL) != 0)
		return KERN_INVALID_ARGUMENT;

	if (prot == VM_PROT_NONE) {
		if (pmap_next_mapped(pmap, va, va + PAGE_SIZE) == va)
			pmap_remove(pmap, va, va + PAGE_SIZE);
		return KERN_SUCCESS;
	}
	bool large_in_way = false;
	uint64_t *pte = walk(pmap, va, 1, true);
	if (pte == NULL) {
		uint64_t *pde = walk(pmap, va, 2, false);
		large_in_way = pde != NULL && (*pde & PTE_PS);
		return large_in_way ? KERN_INVALID_ARGUMENT : KERN_RESOURCE_SHORTAGE;
	}
	uint64_t old = *pte;
	if (!(old & PTE_P) || (old & PTE_ADDR) != pa) {
		struct vm_page *pg = managed_page(va, pa);
		if (pg != NULL && !pv_add(pg, pmap, va))
			return KERN_RESOURCE_SHORTAGE;
		if (old & PTE_P)
			unmanage(old, pmap, va);
	}
	*pte = pa | pte_bits(va, prot) | cache |
	       (old & PTE_P && (old & PTE_ADDR) == pa ? old & PTE_D : 0);
	if (old & PTE_P)
		invlpg(va);
	return KERN_SUCCESS;
}

/* The end of the table entry's span that holds va, or end if it is sooner. */
static uint64_t span_end(uint64_t va, int level, uint64_t end)
{
	uint64_t next = (va | ((1ull << (12 + 9 * (level - 1))) - 1)) + 1;

	return next != 0 && next < end ? next : end;
}

/* Whether an entry records memory at va by itself (a page, not a table). */
static bool entry_maps(uint64_t entry, int level)
{
	return level == 1 ? pte_mapped(entry) : (entry & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS);
}

/*
 * The first va in [va, end), inside table (at level), that is mapped, or
 * end.  Missing tables are skipped whole, so the cost follows the tables
 * present, not the range's size.
 */
static uint64_t find(uint64_t *table, int level, uint64_t va, uint64_t end)
{
	while (va < end) {
		uint64_t entry = table[index_at(va, level)];
		uint64_t next = span_end(va, level, end);
		if (level > 1 && (entry & (PTE_P | PTE_PS)) == PTE_P) {
			uint64_t found = find(table_of(entry), level - 1, va, next);
			if (found < next)
				return found;
		} else if (entry_maps(entry, level)) {
			return va;
		}
		va = next;
	}
	return end;
}

uint64_t pmap_next_mapped(struct pmap *pmap, uint64_t va, uint64_t end)
{
	return find(pmap->pml4, 4, va & ~(uint64_t)(PAGE_SIZE - 1), end);
}

static bool table_empty(const uint64_t *table)
{
	for (unsigned i = 0; i < 512; i++)
		if (table[i] != 0)
			return false;
	return true;
}

/* What change_range does to each mapped 4 KiB entry. */
struct range_change {
	bool remove;                           /* else set prot */
	vm_prot_t prot;
	struct pmap *pmap;
};

/*
 * Applies c to the 4 KiB entries of [va, end) inside table (at level),
 * skipping missing tables.  Removing frees the user half's tables that
 * become empty (the kernel half's are shared by every pmap and stay).
 * The TLB entry of a changed page is invalidated before unmapped sees
 * its frame; freeing a table invalidates too, which also drops the
 * processor's cached copies of the table entries.
 */
static void change_range(uint64_t *table, int level, uint64_t va, uint64_t end,
			 const struct range_change *c)
{
	while (va < end) {
		uint64_t *e = &table[index_at(va, level)];
		uint64_t next = span_end(va, level, end);
		if (level == 1 && pte_mapped(*e)) {
			uint64_t old = *e;
			*e = c->remove ? 0 : (old & (PTE_ADDR | PTE_D | PTE_PCD | PTE_PWT)) |
					     pte_bits(va, c->prot);
			invlpg(va);
			if (c->remove)
				unmanage(old, c->pmap, va);
		} else if (level > 1 && (*e & (PTE_P | PTE_PS)) == PTE_P) {
			uint64_t *child = table_of(*e);
			change_range(child, level - 1, va, next, c);
			if (c->remove && va < USER_HALF_END && table_empty(child)) {
				uint64_t child_pa = *e & PTE_ADDR;
				*e = 0;
				c->pmap->leaf_tag = 0;   /* the hint may be under it */
				invlpg(va);
				vm_page_free(vm_page_from_phys(child_pa), 0);
			}
		}
		va = next;
	}
}

void pmap_remove(struct pmap *pmap, uint64_t start, uint64_t end)
{
	struct range_change c = { .remove = true, .pmap = pmap };

	change_range(pmap->pml4, 4, start, end, &c);
}

void pmap_protect(struct pmap *pmap, uint64_t start, uint64_t end, vm_prot_t prot)
{
	struct range_change c = { .remove = prot == VM_PROT_NONE, .prot = prot, .pmap = pmap };

	change_range(pmap->pml4, 4, start, end, &c);
}

/* The 4 KiB entry of a pv mapping (which exists while the pv entry does). */
static uint64_t *pv_pte(const struct pv_entry *pv)
{
	uint64_t *pte = walk(pv->pmap, pv->va, 1, false);

	if (pte == NULL || !(*pte & PTE_P))
		panic("pmap: pv entry for %lx without a mapping", pv->va);
	return pte;
}

void pmap_page_protect(struct vm_page *pg, vm_prot_t prot)
{
	if (prot == VM_PROT_NONE) {
		while (pg->pv.pmap != NULL) {
			struct pmap *pmap = pg->pv.pmap;
			uint64_t va = pg->pv.va;
			pmap_remove(pmap, va, va + PAGE_SIZE);
		}
		return;
	}
	if (prot & VM_PROT_WRITE)
		return;
	for (struct pv_entry *pv = &pg->pv; pv != NULL && pv->pmap != NULL; pv = pv->next) {
		uint64_t *pte = pv_pte(pv);
		if (*pte & PTE_W) {
			*pte &= ~PTE_W;
			invlpg(pv->va);
		}
	}
}

bool pmap_is_modified(struct vm_page *pg)
{
	if (pg->pmap_flags & PMAP_PAGE_MODIFIED)
		return true;
	for (struct pv_entry *pv = &pg->pv; pv != NULL && pv->pmap != NULL; pv = pv->next)
		if (*pv_pte(pv) & PTE_D)
			return true;
	return false;
}

void pmap_clear_modify(struct vm_page *pg)
{
	pg->pmap_flags &= (uint8_t)~PMAP_PAGE_MODIFIED;
	for (struct pv_entry *pv = &pg->pv; pv != NULL && pv->pmap != NULL; pv = pv->next) {
		uint64_t *pte = pv_pte(pv);
		if (*pte & PTE_D) {
			*pte &= ~PTE_D;
			invlpg(pv->va);
		}
	}
}

bool pmap_clear_reference(struct vm_page *pg)
{
	bool referenced = false;

	for (struct pv_entry *pv = &pg->pv; pv != NULL && pv->pmap != NULL; pv = pv->next) {
		uint64_t *pte = pv_pte(pv);
		if (*pte & PTE_A) {
			*pte &= ~PTE_A;
			invlpg(pv->va);
			referenced = true;
		}
	}
	return referenced;
}

bool pmap_lookup(struct pmap *pmap, uint64_t va, uint64_t *pa, vm_prot_t *prot)
{
	uint64_t entry;

	if (!is_canonical(va))
		return false;
	uint64_t *pde = walk(pmap, va, 2, false);
	if (pde != NULL && (*pde & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS)) {
		entry = *pde;
		*pa = (entry & PTE_ADDR & ~(LARGE_PAGE_SIZE - 1)) + (va & (LARGE_PAGE_SIZE - 1));
	} else {
		uint64_t *pte = walk(pmap, va, 1, false);
		if (pte == NULL || !pte_mapped(*pte))
			return false;
		entry = *pte;
		*pa = (entry & PTE_ADDR) + (va & (PAGE_SIZE - 1));
	}
	*prot = VM_PROT_READ | (entry & PTE_W ? VM_PROT_WRITE : 0) |
		(entry & PTE_NX ? 0 : VM_PROT_EXECUTE);
	return true;
}

static void map_large_range(uint64_t start, uint64_t end)
{
	start &= ~(LARGE_PAGE_SIZE - 1);
	for (uint64_t pa = start; pa < end; pa += LARGE_PAGE_SIZE) {
		uint64_t *pde = walk(&kernel_pmap, DIRECT_MAP_BASE + pa, 2, true);
		if (pde == NULL)
			panic("pmap: out of memory for the direct map");
		*pde = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
}

static void map_kernel_range(const char *start, const char *end, vm_prot_t prot)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		if (pmap_enter(&kernel_pmap, va, va - KERNEL_BASE, prot) != KERN_SUCCESS)
			panic("pmap: cannot map the kernel image at %lx", va);
}

void pmap_bootstrap(const struct boot_info *bi)
{
	struct vm_page *pg = vm_page_alloc(0);

	if (pg == NULL)
		panic("pmap: no page for the kernel PML4");
	kernel_pmap.pml4_phys = vm_page_to_phys(pg);
	kernel_pmap.pml4 = phys_to_virt(kernel_pmap.pml4_phys);
	memset(kernel_pmap.pml4, 0, PAGE_SIZE);

	for (unsigned i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_AVAILABLE)
			map_large_range(bi->mem[i].base, bi->mem[i].base + bi->mem[i].length);

	map_kernel_range(kernel_text_start, kernel_text_end, VM_PROT_READ | VM_PROT_EXECUTE);
	map_kernel_range(kernel_rodata_start, kernel_rodata_end, VM_PROT_READ);
	map_kernel_range(kernel_data_start, boot_stack_guard, VM_PROT_READ | VM_PROT_WRITE);
	map_kernel_range(boot_stack_bottom, kernel_data_end, VM_PROT_READ | VM_PROT_WRITE);

	write_cr3(kernel_pmap.pml4_phys);
	write_cr4(read_cr4() | CR4_PGE);
}

#define PML4_KERNEL_FIRST 256

kern_return_t pmap_create(struct pmap *pmap)
{
	struct vm_page *pg = vm_page_alloc(0);

	if (pg == NULL)
		return KERN_RESOURCE_SHORTAGE;
	pmap->pml4_phys = vm_page_to_phys(pg);
	pmap->pml4 = phys_to_virt(pmap->pml4_phys);
	pmap->leaf_tag = 0;
	memset(pmap->pml4, 0, PML4_KERNEL_FIRST * sizeof(uint64_t));
	memcpy(pmap->pml4 + PML4_KERNEL_FIRST, kernel_pmap.pml4 + PML4_KERNEL_FIRST,
	       PML4_KERNEL_FIRST * sizeof(uint64_t));
	kernel_top_frozen = true;
	return KERN_SUCCESS;
}

/* Frees the table entry points to and, below level 2, the tables under it. */
static void free_table(uint64_t entry, int level)
{
	uint64_t *table = table_of(entry);

	if (level > 1)
		for (unsigned i = 0; i < 512; i++)
			if ((table[i] & (PTE_P | PTE_PS)) == PTE_P)
				free_table(table[i], level - 1);
	vm_page_free(vm_page_from_phys(entry & PTE_ADDR), 0);
}

void pmap_destroy(struct pmap *pmap)
{
	for (unsigned i = 0; i < PML4_KERNEL_FIRST; i++)
		if (pmap->pml4[i] & PTE_P)
			free_table(pmap->pml4[i], 3);
	vm_page_free(vm_page_from_phys(pmap->pml4_phys), 0);
	pmap->leaf_tag = 0;
	pmap->pml4 = NULL;
	pmap->pml4_phys = 0;
}
