#include <sys/sysinfo.h>
#include "syscall.h"

/* The kernel's struct sysinfo (x86-64: 8-byte longs, 368 bytes with its
 * padding) converted to musl's wasm32 one (4-byte longs). Values that do
 * not fit are scaled by growing mem_unit, as the kernel does on 32-bit. */
struct k_sysinfo {
	long long uptime;
	unsigned long long loads[3];
	unsigned long long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long long totalhigh, freehigh;
	unsigned mem_unit;
	char reserved[256];
};

int __lsysinfo(struct sysinfo *info)
{
	struct k_sysinfo k;
	int r = __syscall(SYS_sysinfo, &k);
	if (r) return __syscall_ret(r);
	unsigned long long mem[] = { k.totalram, k.freeram, k.sharedram, k.bufferram,
		k.totalswap, k.freeswap, k.totalhigh, k.freehigh };
	unsigned long long scale = 1;
	for (int i = 0; i < 8; i++)
		while (mem[i] / scale > 0xffffffffULL) scale *= 2;
	unsigned unit = (k.mem_unit ? k.mem_unit : 1) * scale;
	*info = (struct sysinfo){
		.uptime = k.uptime,
		.loads = { k.loads[0], k.loads[1], k.loads[2] },
		.totalram = k.totalram / scale, .freeram = k.freeram / scale,
		.sharedram = k.sharedram / scale, .bufferram = k.bufferram / scale,
		.totalswap = k.totalswap / scale, .freeswap = k.freeswap / scale,
		.procs = k.procs,
		.totalhigh = k.totalhigh / scale, .freehigh = k.freehigh / scale,
		.mem_unit = unit,
	};
	return 0;
}

weak_alias(__lsysinfo, sysinfo);
