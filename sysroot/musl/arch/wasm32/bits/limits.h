/* Host pages: WALI maps memory through the host kernel's mmap. */
#define PAGESIZE 4096
