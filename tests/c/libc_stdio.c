/* musl through ./wali-cc: formatted output, strings, conversions, qsort,
 * getenv, argv. Needs no malloc: runs with the file/io syscalls alone
 * (writev for stdout: files/io area). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void formats(void)
{
	printf("int %d %i %u %x %X %o %5d|%-5d|%05d\n", -42, 7, 3000000000u, 255, 255, 8, 12, 12, 12);
	/* long is 32 bits on wasm32 and 64 natively: print only values of
	 * fixed-width types or values that fit both. */
	printf("long %ld %lu %lld %llu %" PRId64 " %" PRIx64 "\n", -2147483647L, 4000000000UL,
	       LLONG_MIN, ULLONG_MAX, INT64_MAX, UINT64_MAX);
	printf("size %zu %zd ptrdiff %td intmax %jd\n", sizeof(long double), (ssize_t)-1,
	       (ptrdiff_t)-5, (intmax_t)INTMAX_MAX);
	printf("float %f %.3f %e %g %g %a\n", 3.14159, -2.5, 12345.678, 0.0001, 1e20, 1.0);
	printf("special %f %f %f\n", INFINITY, -INFINITY, NAN);
	printf("ldouble %.15Lf %Lg\n", 1.0L / 3, 2.5L);
	printf("str [%s] [%10s] [%-10s] [%.3s] %c%c\n", "abc", "right", "left", "truncate", 'o', 'k');
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%s-%d-%.2f", "snprintf", 99, 1.005);
	printf("snprintf %d [%s]\n", n, buf);
	n = snprintf(buf, 8, "%s", "truncated output");
	printf("truncated %d [%s]\n", n, buf);
}

static void conversions(void)
{
	char *end;
	printf("strtol %ld %ld %ld\n", strtol("  -123xyz", &end, 10), strtol("ff", 0, 16),
	       strtol("0x1F", 0, 0));
	printf("rest [%s]\n", end);
	errno = 0;
	long big = strtol("99999999999999999999", 0, 10);
	printf("overflow %d %d\n", big == LONG_MAX, errno == ERANGE);
	printf("strtoull %llu\n", strtoull("18446744073709551615", 0, 10));
	printf("strtod %.6f %.6g %g\n", strtod("3.5e2", 0), strtod("-0.000125", 0), strtod("inf", 0));
	printf("atoi %d %d\n", atoi("42"), atoi("-7z"));
	printf("math %.6f %.6f %.6f %.6f\n", sqrt(2.0), sin(1.0), exp(1.0), pow(2.0, 0.5));
	printf("floor %.1f ceil %.1f round %.1f fmod %.3f\n", floor(-2.5), ceil(-2.5), round(2.5),
	       fmod(10.5, 3.0));
}

static void strings(void)
{
	char a[64] = "hello";
	strcat(a, ", world");
	printf("strlen %zu strcmp %d %d strncmp %d\n", strlen(a), strcmp("a", "b") < 0,
	       strcmp("b", "a") > 0, strncmp("abcd", "abcx", 3));
	printf("strchr [%s] strrchr [%s] strstr [%s]\n", strchr(a, 'o'), strrchr(a, 'o'),
	       strstr(a, "wor"));
	char tok[] = "a,b,,c";
	char *save, *t = strtok_r(tok, ",", &save);
	printf("tokens");
	while (t) {
		printf(" [%s]", t);
		t = strtok_r(0, ",", &save);
	}
	printf("\n");
	char m[8];
	memset(m, 'x', sizeof m);
	memcpy(m, "abc", 3);
	memmove(m + 1, m, 4);
	printf("mem [%.8s] %d\n", m, memcmp("abc", "abd", 3) < 0);
	printf("ctype %d %d %d %c %c\n", !!isalpha('a'), !!isdigit('5'), !!isspace('x'),
	       toupper('q'), tolower('Q'));
	printf("strerror [%s]\n", strerror(ENOENT));
}

static void sorting(void)
{
	int v[] = {5, -3, 9, 0, 12, -7, 3, 3, 100, -100};
	size_t n = sizeof v / sizeof *v;
	qsort(v, n, sizeof *v, cmp_int);
	printf("qsort");
	for (size_t i = 0; i < n; i++) printf(" %d", v[i]);
	printf("\n");
	const char *s[] = {"pear", "apple", "fig", "banana", "cherry"};
	qsort(s, 5, sizeof *s, cmp_str);
	printf("qsort-str %s %s %s %s %s\n", s[0], s[1], s[2], s[3], s[4]);
	int key = 9;
	int *hit = bsearch(&key, v, n, sizeof *v, cmp_int);
	printf("bsearch %d\n", hit ? (int)(hit - v) : -1);
}

int main(int argc, char **argv)
{
	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++) printf("argv[%d] [%s]\n", i, argv[i]);
	const char *home = getenv("WALI_TEST_VAR");
	printf("getenv [%s] missing %d\n", home ? home : "(null)", getenv("NOT_SET_ANYWHERE") == 0);
	formats();
	conversions();
	strings();
	sorting();
	fprintf(stderr, "to stderr\n");
	return 7;
}
