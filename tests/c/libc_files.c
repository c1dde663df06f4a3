/* musl through ./wali-cc: malloc and stdio files. Needs the memory area
 * (brk/mmap for malloc) and the files/io area (open, read, write, lseek,
 * fstat, unlink, rename, mkdir, opendir/getdents64). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void heap(void)
{
	/* Small, medium and large (mmap-sized) blocks; realloc keeps contents. */
	size_t sizes[] = {1, 24, 1000, 70000, 3 << 20};
	unsigned sum = 0;
	for (int i = 0; i < 5; i++) {
		unsigned char *p = malloc(sizes[i]);
		if (!p) {
			printf("malloc %zu failed\n", sizes[i]);
			return;
		}
		memset(p, i + 1, sizes[i]);
		p = realloc(p, sizes[i] * 2);
		sum += p[sizes[i] - 1] + p[0];
		free(p);
	}
	printf("heap ok sum=%u\n", sum);
	char **many = calloc(1000, sizeof *many);
	for (int i = 0; i < 1000; i++) {
		many[i] = malloc(32 + i);
		snprintf(many[i], 32, "block%d", i);
	}
	printf("blocks %s %s zeroed=%d\n", many[0], many[999], calloc(10, 10) != 0);
	for (int i = 0; i < 1000; i++) free(many[i]);
	free(many);
	char *d = strdup("duplicate");
	printf("strdup %s\n", d);
	free(d);
}

static void files(void)
{
	FILE *f = fopen("data.txt", "w");
	if (!f) {
		printf("fopen w: %s\n", strerror(errno));
		return;
	}
	for (int i = 0; i < 100; i++) fprintf(f, "line %d %s\n", i, i % 2 ? "odd" : "even");
	printf("fclose %d\n", fclose(f));
	f = fopen("data.txt", "r");
	char line[64];
	int lines = 0;
	while (fgets(line, sizeof line, f)) lines++;
	printf("lines %d ftell %ld\n", lines, ftell(f));
	fseek(f, 5, SEEK_SET);
	int n;
	printf("fscanf %d", fscanf(f, "%d", &n));
	printf(" n=%d\n", n);
	rewind(f);
	printf("fread %zu\n", fread(line, 1, 10, f));
	fclose(f);
	/* One call per statement: argument evaluation order is unspecified. */
	struct stat st;
	int r = stat("data.txt", &st);
	printf("stat %d size %lld reg %d\n", r, (long long)st.st_size, S_ISREG(st.st_mode));
	f = fopen("no/such/file", "r");
	printf("missing %d errno %d\n", f == 0, errno);
	f = fopen("data.txt", "a");
	printf("append %d\n", f != 0 && fputs("tail\n", f) >= 0 && !fclose(f));
	int renamed = rename("data.txt", "moved.txt");
	int unlinked = unlink("moved.txt");
	int again = unlink("moved.txt");
	printf("rename %d unlink %d again %d errno %d\n", renamed, unlinked, again, errno);
	printf("mkdir %d\n", mkdir("sub", 0755));
	close(open("sub/a", O_CREAT | O_WRONLY, 0644));
	close(open("sub/b", O_CREAT | O_WRONLY, 0644));
	DIR *dir = opendir("sub");
	int entries = 0;
	struct dirent *e;
	while (dir && (e = readdir(dir))) entries++;
	if (dir) closedir(dir);
	printf("readdir %d\n", entries);
}

int main(void)
{
	heap();
	files();
	return 0;
}
