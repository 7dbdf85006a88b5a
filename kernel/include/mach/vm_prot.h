/* Protection of virtual memory (Mach's values). */
#pragma once

typedef int vm_prot_t;

#define VM_PROT_NONE    ((vm_prot_t)0x00) /* no access */
#define VM_PROT_READ    ((vm_prot_t)0x01) /* read */
#define VM_PROT_WRITE   ((vm_prot_t)0x02) /* write */
#define VM_PROT_EXECUTE ((vm_prot_t)0x04) /* execute */
#define VM_PROT_DEFAULT (VM_PROT_READ | VM_PROT_WRITE)
#define VM_PROT_ALL     (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)
