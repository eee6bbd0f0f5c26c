package pipeline

import (
	"dpnkit/internal/iostreams"
	"dpnkit/internal/model"
	"dpnkit/report"
)

// printInputs shows how each input was read (report.WriteInputs): on
// stdout before a table, one compact line per file, and every column with
// -v. JSON has the same in inputs[], so with --format json or csv stdout
// holds only the document and the lines go to stderr, with -v only.
func printInputs(s *iostreams.Streams, format string, groups ...[]model.Input) {
	w := s.Out
	if format != FormatTable {
		if !s.Verbose {
			return
		}
		w = s.Err
	}
	for _, g := range groups {
		// A failed write shows in the result's own write just after.
		_ = report.WriteInputs(w, g, s.Verbose)
	}
}
