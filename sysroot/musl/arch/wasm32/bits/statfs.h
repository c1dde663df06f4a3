/* The kernel's x86-64 layout (120 bytes), which WALI passes through: the
 * fields that are `long` there are 64-bit here too. */
struct statfs {
	unsigned long long f_type, f_bsize;
	fsblkcnt_t f_blocks, f_bfree, f_bavail;
	fsfilcnt_t f_files, f_ffree;
	fsid_t f_fsid;
	unsigned long long f_namelen, f_frsize, f_flags, f_spare[4];
};
