/*
 * A stand-in bcryptprimitives.dll for Wine 8.0 (Debian 12), which lacks it:
 * Go's Windows runtime loads it at start for ProcessPrng, its source of
 * random bytes, and stops with "bcryptprimitives.dll not found" without it.
 * ProcessPrng here fills the buffer from advapi32's RtlGenRandom
 * (exported as SystemFunction036), which Wine has. Real Windows (10 and
 * later) has the DLL: this file is for TestWindowsBinaryUnderWine only.
 *
 * x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
