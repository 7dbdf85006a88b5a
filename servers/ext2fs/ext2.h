/*
 * ext2's on-disk format, revision 1 (the layout e2fsprogs writes; see
 * docs/fs.md for the parts this server supports).  Every field is
 * little-endian, as x86_64 is, and is read from the disk as it is: the
 * image is hostile until super.c, inode.c and dir.c have checked it.
 *
 *   block 0 (1 KiB blocks: bytes 0-1023)  boot block, unused
 *   byte 1024                             the superblock (1 KiB)
 *   the block after the superblock's      group descriptors, one per group
 *   each group                            block bitmap, inode bitmap,
 *                                         inode table, data blocks
 *
 * Backups of the superblock and the descriptors sit at the start of
 * groups 0, 1 and the powers of 3, 5 and 7 (sparse_super).
 */
#pragma once

#include <stdint.h>

#define EXT2_SUPER_OFFSET 1024
#define EXT2_SUPER_MAGIC 0xef53
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NAME_MAX 255
#define EXT2_BLOCK_SIZE_MIN 1024
#define EXT2_BLOCK_SIZE_MAX 4096

/* i_block: 12 direct pointers, then single, double and triple indirect. */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15

/* Features this server knows.  An image with an incompat feature it does
 * not know is refused; one with an ro_compat feature it does not know is
 * served read-only; compat features are kept as they are. */
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_INCOMPAT_KNOWN EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_KNOWN (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
			      EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* s_state */
#define EXT2_VALID_FS 0x0001   /* cleanly unmounted */
#define EXT2_ERROR_FS 0x0002   /* errors detected */

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;     /* block size: 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algo_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks; /* resize_inode: blocks kept after the descriptors */
	uint8_t s_rest[1024 - 208];    /* kept as read, written back as it was */
};
_Static_assert(sizeof(struct ext2_super) == 1024, "ext2 superblock layout");
_Static_assert(__builtin_offsetof(struct ext2_super, s_magic) == 56, "s_magic");
_Static_assert(__builtin_offsetof(struct ext2_super, s_first_ino) == 84, "s_first_ino");
_Static_assert(__builtin_offsetof(struct ext2_super, s_algo_bitmap) == 200, "s_algo_bitmap");

struct ext2_group {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint8_t bg_reserved[12];
};
_Static_assert(sizeof(struct ext2_group) == 32, "ext2 group descriptor layout");

/* i_mode's file type (the top four bits) and permission bits. */
#define EXT2_S_IFMT 0xf000
#define EXT2_S_IFSOCK 0xc000
#define EXT2_S_IFLNK 0xa000
#define EXT2_S_IFREG 0x8000
#define EXT2_S_IFBLK 0x6000
#define EXT2_S_IFDIR 0x4000
#define EXT2_S_IFCHR 0x2000
#define EXT2_S_IFIFO 0x1000

/* The first 128 bytes of an inode; s_inode_size may be larger (the rest
 * is kept as it is). */
struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;               /* low 32 bits */
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;             /* 512-byte sectors, indirect blocks included */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;          /* regular files, large_file */
	uint32_t i_faddr;
	uint8_t i_frag;
	uint8_t i_fsize;
	uint16_t i_pad1;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
};
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_INODE_SIZE, "ext2 inode layout");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_block) == 40, "i_block");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_uid_high) == 120, "i_uid_high");

/* i_flags: an htree directory (dir_index); a writer that does not keep
 * the index clears it, and the directory reads as a plain one. */
#define EXT2_INDEX_FL 0x00001000

/* Links to an inode, at most. */
#define EXT2_LINK_MAX 32000

/* A symlink's target lives in i_block itself when it is shorter than this. */
#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4)

/* A directory entry: rec_len bytes in all, a multiple of 4, never across
 * a block's end; inode 0 is an unused entry. */
struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;             /* EXT2_FT_*, with the filetype feature */
	char name[];
};
_Static_assert(sizeof(struct ext2_dirent) == 8, "ext2 directory entry layout");

#define EXT2_DIRENT_SIZE(name_len) ((8u + (name_len) + 3u) & ~3u)

#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7
#define EXT2_FT_MAX 8
