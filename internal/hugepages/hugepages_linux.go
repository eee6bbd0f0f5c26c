package hugepages

import (
	"fmt"
	"strconv"
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// prepare returns the range it advised, [beg, end), for the tests.
func prepare(n int64) (beg, end uintptr, err error) {
	if strconv.IntSize < 64 || n < 2*hugePage {
		return 0, 0, nil
	}
	// A fresh large allocation is known to be zero: the runtime maps it and
	// does not clear it, so none of it is touched here.
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg = (p + hugePage - 1) &^ (hugePage - 1)
	end = (p + uintptr(n)) &^ (hugePage - 1)
	if err := syscall.Madvise(b[beg-p:end-p], syscall.MADV_HUGEPAGE); err != nil {
		return 0, 0, fmt.Errorf("ask for huge pages: %w", err)
	}
	return beg, end, nil
}
