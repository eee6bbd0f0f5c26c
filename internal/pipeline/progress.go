package pipeline

import (
	"os"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/progress"
)

// Progress on stderr. A job starts one bar with loadMeter for its first
// load, moves it on with nextLoad for each later load (and bar.Phase for
// work measured in time only, such as "writing reports"), and calls
// bar.Done before it prints anything: the bar's line is erased, so the
// output starts on a clean line. When stderr is not a terminal, or with
// --quiet or --format json/csv (the root command sets Streams.Quiet), the
// bar is nil and every call is a no-op.

// loadMeter starts a progress bar on s for loading files as the phase label;
// its total is the files' sizes (several lists are summed: loads that run
// at once share one bar). It returns the bar, nil when it is off, and the
// load.Progress for load.Options, nil when the bar is off so the load pays
// nothing.
func loadMeter(s *iostreams.Streams, label string, files ...[]string) (*progress.Bar, load.Progress) {
	bar := s.Progress(label, 0)
	return bar, nextLoad(bar, label, files...)
}

// nextLoad starts bar's next phase, loading files as label, and returns the
// load.Progress for it (nil when bar is).
func nextLoad(bar *progress.Bar, label string, files ...[]string) load.Progress {
	if bar == nil {
		return nil // not a nil *Bar in a non-nil interface: load skips its counting
	}
	bar.Phase(label, filesSize(files...))
	return bar
}

// filesSize is the total size of the files; those it cannot stat count 0
// (the load reports why it cannot read them).
func filesSize(lists ...[]string) int64 {
	var n int64
	for _, files := range lists {
		for _, f := range files {
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
				n += st.Size()
			}
		}
	}
	return n
}
