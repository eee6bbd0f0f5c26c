package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// bar writes a bar of cells cells, filled of them done, as render does.
func bar(cells, filled int) string {
	if filled == cells {
		return "[" + strings.Repeat("=", cells) + "]"
	}
	return "[" + strings.Repeat("=", filled) + ">" + strings.Repeat(" ", cells-filled-1) + "]"
}

func TestRender(t *testing.T) {
	tests := []struct {
		name         string
		width        int
		label        string
		total, bytes int64
		rows         int64
		elapsed      time.Duration
		want         string
	}{
		{
			// 120 of 300 MB in 2 s: 60 MB/s, 180 MB left = 3 s; 1.2M rows
			// in 2 s = 600k/s. The stats take 44 columns (the ETA padded
			// to 5, then trimmed), the label 9, two gaps 4 and the brackets
			// 2: 20 cells, 120/300 of them = 8.
			name: "mid-load", width: 79, label: "positions", total: 300e6, bytes: 120e6, rows: 1_200_000, elapsed: 2 * time.Second,
			want: "positions  " + bar(20, 8) + "   40%  120.0/300.0 MB  600k rows/s  ETA 3s",
		},
		{
			// Nothing read yet: no rate, no ETA, but every field in its
			// place, so the bar has the width it will keep.
			name: "start", width: 79, label: "positions", total: 300e6,
			want: "positions  " + bar(20, 0) + "    0%    0.0/300.0 MB     - rows/s  ETA --",
		},
		{
			// All read in 4 s: 2M rows = 500k/s, nothing left.
			name: "complete", width: 79, label: "positions", total: 300e6, bytes: 300e6, rows: 2_000_000, elapsed: 4 * time.Second,
			want: "positions  " + bar(20, 20) + "  100%  300.0/300.0 MB  500k rows/s  ETA 0s",
		},
		{
			// 0.5 of 2.5 GB in 100 s: 5 MB/s, 2 GB left = 400 s = 6m40s;
			// 3M rows / 100 s = 30k rows/s (padded to 4). Stats 42
			// columns, label 6: 25 cells, a fifth of them = 5.
			name: "gigabytes", width: 79, label: "people", total: 2.5e9, bytes: 0.5e9, rows: 3_000_000, elapsed: 100 * time.Second,
			want: "people  " + bar(25, 5) + "   20%  0.50/2.50 GB   30k rows/s  ETA 6m40s",
		},
		{
			// The ETA rounds up: 1000 of 3001 bytes in 1 s leaves 2.001 s,
			// shown as 3s.
			name: "eta rounds up", width: 79, label: "x", total: 3001, bytes: 1000, rows: 5, elapsed: time.Second,
			want: "x  " + bar(30, 9) + "   33%  1/3 kB     5 rows/s  ETA 3s",
		},
		{
			// A phase with no byte total shows the time it has taken.
			name: "no total", width: 79, label: "writing reports", elapsed: 72 * time.Second,
			want: "writing reports  1:12",
		},
		{
			name: "no total with bytes and rows", width: 79, label: "writing files", bytes: 5_500_000, rows: 8100, elapsed: time.Second,
			want: "writing files  5.5 MB  8.1k rows/s  0:01",
		},
		{
			// Too narrow for a 10-cell bar: the bar goes and the stats are
			// cut at the width, without a trailing space.
			name: "narrow", width: 50, label: "positions", total: 300e6, bytes: 120e6, rows: 1_200_000, elapsed: 2 * time.Second,
			want: "positions   40%  120.0/300.0 MB  600k rows/s  ETA",
		},
		{
			// A long label is cut to 20 columns, its last a '~'.
			name: "long label", width: 79, label: "a very long phase label indeed", elapsed: 3 * time.Hour,
			want: "a very long phase l~  3:00:00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(tt.width, tt.label, tt.total, tt.bytes, tt.rows, tt.elapsed)
			if got != tt.want {
				t.Errorf("render:\n got %q\nwant %q", got, tt.want)
			}
			if len(got) > tt.width {
				t.Errorf("render: %d columns, more than %d", len(got), tt.width)
			}
		})
	}
}

func TestRenderNeverWiderThan79(t *testing.T) {
	for _, total := range []int64{0, 999, 5e6, 999e9} {
		for _, rows := range []int64{0, 1, 5e9} {
			got := render(DefaultWidth, strings.Repeat("x", 40), total, total/3, rows, 1500*time.Hour)
			if len(got) > DefaultWidth {
				t.Errorf("total %d rows %d: %d columns: %q", total, rows, len(got), got)
			}
		}
	}
}

// TestBarKeepsItsWidth checks the bar does not shrink or grow as a phase's
// numbers change width (9.9 to 10.0 MB, 950 to 1.2k rows/s, ETA 1m05s to
// 3s).
func TestBarKeepsItsWidth(t *testing.T) {
	const total = 308_900_000
	first := -1
	for _, c := range []struct {
		bytes, rows int64
		secs        float64
	}{{0, 0, 0}, {9_900_000, 950, 1}, {10_000_000, 60_000, 1}, {45_100_000, 600_000, 1},
		{104_900_000, 1_200_000, 1.5}, {300_000_000, 9_000_000, 3}, {total, 10_000_000, 3.1}} {
		line := render(DefaultWidth, "positions", total, c.bytes, c.rows, time.Duration(c.secs*float64(time.Second)))
		end := strings.IndexByte(line, ']')
		if first < 0 {
			first = end
		}
		if end != first || end < 0 {
			t.Errorf("%d bytes: the bar ends at column %d, want %d: %q", c.bytes, end, first, line)
		}
	}
}

func TestHumanCount(t *testing.T) {
	for r, want := range map[float64]string{0: "0", 950: "950", 999.4: "999", 999.6: "1.0k", 8100: "8.1k",
		9949: "9.9k", 9951: "10k", 812_000: "812k", 999_400: "999k", 999_600: "1.0M", 1_234_000: "1.2M"} {
		if got := humanCount(r); got != want {
			t.Errorf("humanCount(%v) = %q, want %q", r, got, want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for secs, want := range map[float64]string{0: "0s", 0.2: "1s", 59: "59s", 60: "1m00s", 3599: "59m59s", 3600: "1h00m", 7380: "2h03m"} {
		if got := humanDuration(secs); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", secs, got, want)
		}
	}
}

func TestNilBarIsDisabled(t *testing.T) {
	var b *Bar
	b.Add(10, 1)
	b.Phase("people", 100)
	b.Done()
	if b.Enabled() {
		t.Error("nil bar is enabled")
	}
}

// newTestBar makes a bar drawn only when the test ticks it.
func newTestBar(label string, total int64) (*Bar, *bytes.Buffer, *fakeClock, chan time.Time) {
	var out bytes.Buffer
	clock := newClock()
	tick := make(chan time.Time)
	return New(&out, label, total, Config{Now: clock.Now, Tick: tick}), &out, clock, tick
}

func TestBarDrawsAndDoneClears(t *testing.T) {
	b, out, clock, tick := newTestBar("positions", 300e6)
	b.Add(60e6, 300_000)
	b.Add(60e6, 900_000)
	clock.Advance(2 * time.Second)
	tick <- time.Time{}
	tick <- time.Time{} // the same line again: not redrawn
	b.Done()
	b.Done() // a second Done writes nothing more
	line := "positions  " + bar(20, 8) + "   40%  120.0/300.0 MB  600k rows/s  ETA 3s"
	want := "\r" + line + "\x1b[K" + "\r\x1b[K"
	if got := out.String(); got != want {
		t.Errorf("output:\n got %q\nwant %q", got, want)
	}
	// What the terminal shows after Done: the last carriage return
	// followed by an erase to the end of the line, nothing else.
	got := out.String()
	if tail := got[strings.LastIndexByte(got, '\r'):]; tail != "\r\x1b[K" {
		t.Errorf("after Done the line ends %q, want it erased", tail)
	}
}

func TestBarNothingDrawnWritesNothing(t *testing.T) {
	b, out, _, _ := newTestBar("positions", 300e6)
	b.Add(1, 1)
	b.Done()
	if out.Len() != 0 {
		t.Errorf("a bar never drawn wrote %q", out.String())
	}
}

func TestPhaseResetsCounters(t *testing.T) {
	b, out, clock, tick := newTestBar("positions", 1000)
	b.Add(1000, 10)
	clock.Advance(time.Second)
	b.Phase("people", 20000)
	b.Add(5000, 50)
	clock.Advance(time.Second)
	tick <- time.Time{}
	b.Phase("writing reports", 0)
	clock.Advance(5 * time.Second)
	tick <- time.Time{}
	b.Done()
	// people: 5000 of 20000 bytes in 1 s (elapsed from the phase, not the
	// bar), 15000 left at 5000/s = 3 s; 50 rows/s. Stats 38 columns, label
	// 6: 29 cells, a quarter = 7.
	want := "\rpeople  " + bar(29, 7) + "   25%   5/20 kB    50 rows/s  ETA 3s\x1b[K" +
		"\rwriting reports  0:05\x1b[K" + "\r\x1b[K"
	if got := out.String(); got != want {
		t.Errorf("output:\n got %q\nwant %q", got, want)
	}
}

func TestConcurrentAdd(t *testing.T) {
	b, _, clock, tick := newTestBar("positions", 1<<40)
	const goroutines, adds = 8, 2000
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range adds {
				b.Add(3, 2)
			}
		}()
	}
	stop := make(chan struct{})
	ticked := make(chan struct{})
	go func() { // redraw while the adds run
		defer close(ticked)
		for {
			select {
			case <-stop:
				return
			case tick <- time.Time{}:
				clock.Advance(time.Millisecond)
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-ticked
	if got, want := b.bytes.Load(), int64(goroutines*adds*3); got != want {
		t.Errorf("bytes = %d, want %d", got, want)
	}
	if got, want := b.rows.Load(), int64(goroutines*adds*2); got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
	b.Done()
}

// TestTicker checks the real ticker draws without a test's tick.
func TestTicker(t *testing.T) {
	var out syncBuffer
	b := New(&out, "positions", 100, Config{Interval: time.Millisecond})
	b.Add(50, 5)
	deadline := time.Now().Add(5 * time.Second)
	for out.Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	b.Done()
	got := out.String()
	if !strings.HasPrefix(got, "\rpositions  [") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("output %q: want a drawn line, then erased", got)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func BenchmarkAdd(b *testing.B) {
	bar := New(new(bytes.Buffer), "positions", 1<<40, Config{Tick: make(chan time.Time)})
	defer bar.Done()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			bar.Add(65536, 500)
		}
	})
}

func BenchmarkAddNil(b *testing.B) {
	var bar *Bar
	for b.Loop() {
		bar.Add(65536, 500)
	}
}
