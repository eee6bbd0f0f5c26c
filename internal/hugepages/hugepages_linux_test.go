package hugepages

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// mapping is one entry of /proc/self/smaps.
type mapping struct {
	start, end uintptr
	flags      []string
	anonHuge   int64 // kB
}

func smaps(t *testing.T) []mapping {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	var out []mapping
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if rng, _, ok := strings.Cut(f[0], "-"); ok && !strings.HasSuffix(f[0], ":") {
			lo, err1 := strconv.ParseUint(rng, 16, 64)
			hi, err2 := strconv.ParseUint(f[0][len(rng)+1:], 16, 64)
			if err1 == nil && err2 == nil {
				out = append(out, mapping{start: uintptr(lo), end: uintptr(hi)})
				continue
			}
		}
		if len(out) == 0 {
			continue
		}
		m := &out[len(out)-1]
		switch f[0] {
		case "VmFlags:":
			m.flags = f[1:]
		case "AnonHugePages:":
			m.anonHuge, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	return out
}

// covering returns the mappings that overlap [beg, end).
func covering(ms []mapping, beg, end uintptr) []mapping {
	var out []mapping
	for _, m := range ms {
		if m.start < end && beg < m.end {
			out = append(out, m)
		}
	}
	return out
}

func TestPrepareAdvisesTheRangeTheHeapThenUses(t *testing.T) {
	beg, end, err := prepare(64 << 20)
	if err != nil {
		t.Skipf("the system refuses the advice: %v", err)
	}
	if end-beg < 60<<20 || beg%hugePage != 0 || end%hugePage != 0 {
		t.Fatalf("advised [%#x, %#x): want ~64 MiB on 2 MiB boundaries", beg, end)
	}
	ms := covering(smaps(t), beg, end)
	if len(ms) == 0 {
		t.Fatalf("no mapping covers [%#x, %#x)", beg, end)
	}
	for _, m := range ms {
		if !slices.Contains(m.flags, "hg") {
			t.Errorf("mapping %#x-%#x has flags %v: want hg (huge pages advised)", m.start, m.end, m.flags)
		}
	}

	// The range goes back to the heap, which hands it out again.
	runtime.GC()
	b := make([]byte, 32<<20)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	// The advised range starts at the first 2 MiB boundary of the
	// allocation that Prepare let go: less than 2 MiB of a later one may lie
	// below it.
	if in := min(p+uintptr(len(b)), end) - max(p, beg); max(p, beg) >= end || in < uintptr(len(b))-hugePage {
		t.Fatalf("a later 32 MiB allocation at [%#x, %#x) lies mostly outside the advised range [%#x, %#x)", p, p+uintptr(len(b)), beg, end)
	}
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || bytes.Contains(mode, []byte("[never]")) {
		t.Logf("transparent huge pages are off here (%q, %v): not checking the backing", mode, err)
		return
	}
	var huge int64
	for _, m := range covering(smaps(t), p, p+uintptr(len(b))) {
		huge += m.anonHuge
	}
	if huge == 0 {
		t.Errorf("32 MiB touched in the advised range, none of it on huge pages")
	}
	runtime.KeepAlive(b)
}

func TestPrepareSmallIsNothing(t *testing.T) {
	if beg, end, err := prepare(1 << 20); beg != 0 || end != 0 || err != nil {
		t.Fatalf("prepare(1 MiB) = %#x, %#x, %v: want nothing done", beg, end, err)
	}
}
