// Package progress draws a one-line progress bar for long loads and runs:
// the phase ("positions", "people", "writing reports"), bytes read of the
// total, percent, rows per second and the time left, on a terminal's
// stderr.
//
// A Bar is fed from any number of goroutines with Add (two atomic adds: the
// loaders call it once per chunk or batch, not per row) and redrawn by one
// goroutine of its own at most every Interval, in place: a carriage return,
// the line, and an erase to the end of the line. Done stops it and erases
// the line, so what is printed next starts on a clean line.
//
// A nil *Bar is a disabled bar: every method does nothing and costs a
// pointer comparison. Callers that must not draw (stderr not a terminal,
// --quiet, machine-readable output) hold a nil *Bar and call it the same.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults.
const (
	DefaultWidth    = 79                     // columns: fits an 80-column terminal without wrapping
	DefaultInterval = 200 * time.Millisecond // between redraws
)

// erase clears from the cursor to the end of the line (ANSI EL).
const erase = "\x1b[K"

// Config tunes a Bar; the zero value is the defaults.
type Config struct {
	Width    int              // columns the line may use; 0 = DefaultWidth
	Interval time.Duration    // between redraws; 0 = DefaultInterval
	Now      func() time.Time // the clock; nil = time.Now
	// Tick, when set, is what triggers a redraw instead of a ticker every
	// Interval (tests send on it to draw deterministically).
	Tick <-chan time.Time
}

// Bar is a progress line on a terminal. Create it with New; a nil *Bar
// draws nothing.
type Bar struct {
	bytes atomic.Int64
	rows  atomic.Int64

	w     io.Writer
	width int
	now   func() time.Time

	mu    sync.Mutex // guards the phase, drawn and last
	label string
	total int64 // bytes; 0 = unknown
	start time.Time
	drawn bool   // a line is on the terminal
	last  string // the line last drawn

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// New starts a bar for the phase label over total bytes (0 = unknown) that
// draws on w until Done.
func New(w io.Writer, label string, total int64, cfg Config) *Bar {
	b := &Bar{w: w, width: cfg.Width, now: cfg.Now, label: label, total: total,
		stop: make(chan struct{}), done: make(chan struct{})}
	if b.width <= 0 {
		b.width = DefaultWidth
	}
	if b.now == nil {
		b.now = time.Now
	}
	b.start = b.now()
	tick := cfg.Tick
	var ticker *time.Ticker
	if tick == nil {
		interval := cfg.Interval
		if interval <= 0 {
			interval = DefaultInterval
		}
		ticker = time.NewTicker(interval)
		tick = ticker.C
	}
	go func() {
		defer close(b.done)
		if ticker != nil {
			defer ticker.Stop()
		}
		for {
			select {
			case <-b.stop:
				return
			case <-tick:
				b.draw()
			}
		}
	}()
	return b
}

// Enabled reports whether b draws anything.
func (b *Bar) Enabled() bool { return b != nil }

// Add counts bytes more input read and rows more records loaded. It is safe
// for concurrent use.
func (b *Bar) Add(bytes, rows int64) {
	if b == nil {
		return
	}
	if bytes != 0 {
		b.bytes.Add(bytes)
	}
	if rows != 0 {
		b.rows.Add(rows)
	}
}

// Phase starts a new phase: its label, its total bytes (0 = unknown, for
// work measured in rows or not at all) and zeroed counters; rates and the
// time left are measured from now. Call it between phases, not while
// another goroutine is still adding to the last one.
func (b *Bar) Phase(label string, total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.label, b.total, b.start = label, total, b.now()
	b.bytes.Store(0)
	b.rows.Store(0)
}

// Done stops the bar and erases its line, leaving the cursor at the start
// of a clean line; if nothing was drawn it writes nothing. It may be called
// more than once.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.once.Do(func() {
		close(b.stop)
		<-b.done
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.drawn {
			io.WriteString(b.w, "\r"+erase)
			b.drawn = false
		}
	})
}

// draw redraws the line if it changed.
func (b *Bar) draw() {
	b.mu.Lock()
	defer b.mu.Unlock()
	line := b.lineLocked(b.now())
	if b.drawn && line == b.last {
		return
	}
	io.WriteString(b.w, "\r"+line+erase)
	b.drawn, b.last = true, line
}

func (b *Bar) lineLocked(now time.Time) string {
	return render(b.width, b.label, b.total, b.bytes.Load(), b.rows.Load(), now.Sub(b.start))
}

// maxLabel is the most of a phase label shown.
const maxLabel = 20

// render lays out one line of at most width columns:
//
//	positions  [=======>            ]   41%  123.4/301.0 MB  812k rows/s  ETA 7s
//
// With no total it shows what was read, the rate and the time so far:
//
//	writing reports  0:12
func render(width int, label string, total, bytes, rows int64, elapsed time.Duration) string {
	if len(label) > maxLabel {
		label = label[:maxLabel-1] + "~"
	}
	secs := elapsed.Seconds()
	// While a phase runs its fields keep their widths (amounts padded to
	// the total's, the rate to 4, the time left to 5), so the bar does not
	// jump about as the numbers change.
	var stats []string
	if total > 0 {
		pct := min(bytes*100/total, 100)
		of := humanBytes(total, total)
		stats = append(stats, fmt.Sprintf("%3d%%", pct), fmt.Sprintf("%*s/%s %s", len(of), humanBytes(bytes, total), of, unit(total)))
	} else if bytes > 0 {
		stats = append(stats, humanBytes(bytes, bytes)+" "+unit(bytes))
	}
	if total > 0 || rows > 0 {
		rate := "-"
		if secs > 0 {
			rate = humanCount(float64(rows) / secs)
		}
		stats = append(stats, fmt.Sprintf("%4s rows/s", rate))
	}
	if total > 0 {
		eta := "--"
		if bytes >= total {
			eta = "0s"
		} else if bytes > 0 && secs > 0 {
			left := float64(total-bytes) / (float64(bytes) / secs)
			eta = humanDuration(left)
		}
		stats = append(stats, fmt.Sprintf("ETA %-5s", eta))
	} else {
		stats = append(stats, clock(elapsed))
	}
	right := strings.Join(stats, "  ")
	line := label + "  " + right
	if total > 0 {
		// The bar takes what is left of the width, between bounds.
		room := width - len(label) - len(right) - 2*2 - 2 // two gaps, two brackets
		if room >= 10 {
			cells := min(room, 30)
			filled := int(min(bytes, total) * int64(cells) / total)
			var bar strings.Builder
			bar.WriteByte('[')
			bar.WriteString(strings.Repeat("=", filled))
			if filled < cells {
				bar.WriteByte('>')
				bar.WriteString(strings.Repeat(" ", cells-filled-1))
			}
			bar.WriteByte(']')
			line = label + "  " + bar.String() + "  " + right
		}
	}
	if len(line) > width {
		line = line[:width]
	}
	return strings.TrimRight(line, " ")
}

// unit is the unit humanBytes uses for amounts measured against ref.
func unit(ref int64) string {
	switch {
	case ref >= 1e9:
		return "GB"
	case ref >= 1e6:
		return "MB"
	case ref >= 1e3:
		return "kB"
	}
	return "B"
}

// humanBytes writes n in the unit of ref (decimal: 1 MB = 10^6 bytes), so
// "123.4/301.0 MB" reads at a glance.
func humanBytes(n, ref int64) string {
	switch unit(ref) {
	case "GB":
		return fmt.Sprintf("%.2f", float64(n)/1e9)
	case "MB":
		return fmt.Sprintf("%.1f", float64(n)/1e6)
	case "kB":
		return fmt.Sprintf("%.0f", float64(n)/1e3)
	}
	return fmt.Sprintf("%d", n)
}

// humanCount writes a rate in at most 4 characters below 10M: 950, 8.1k,
// 812k, 1.2M (the bounds are where rounding would carry: 999.6 is 1.0k, not
// 1000).
func humanCount(r float64) string {
	switch {
	case r < 999.5:
		return fmt.Sprintf("%.0f", r)
	case r < 9950:
		return fmt.Sprintf("%.1fk", r/1e3)
	case r < 999.5e3:
		return fmt.Sprintf("%.0fk", r/1e3)
	}
	return fmt.Sprintf("%.1fM", r/1e6)
}

// humanDuration writes a time left in seconds, rounded up: 7s, 1m05s, 2h03m.
func humanDuration(secs float64) string {
	s := int64(secs)
	if float64(s) < secs {
		s++
	}
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
}

// clock writes time elapsed as m:ss (h:mm:ss past the hour).
func clock(d time.Duration) string {
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
