/* The kernel's struct stat as WALI passes it: the x86-64 layout (144
 * bytes), spelled with wasm32 types (long is 32 bits here, so 64-bit
 * fields are long long). */
struct kstat {
	unsigned long long st_dev;
	unsigned long long st_ino;
	unsigned long long st_nlink;

	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long long st_rdev;
	long long st_size;
	long long st_blksize;
	long long st_blocks;

	long long st_atime_sec;
	long long st_atime_nsec;
	long long st_mtime_sec;
	long long st_mtime_nsec;
	long long st_ctime_sec;
	long long st_ctime_nsec;
	long long __unused[3];
};
_Static_assert(sizeof(struct kstat) == 144, "WALI struct stat is 144 bytes");
