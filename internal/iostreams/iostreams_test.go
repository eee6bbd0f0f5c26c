package iostreams

import "testing"

func TestProgressOnlyOnATerminalAndNotQuiet(t *testing.T) {
	tests := []struct {
		errTTY, quiet, want bool
	}{
		{errTTY: false, quiet: false, want: false}, // CI, a pipe, a file
		{errTTY: false, quiet: true, want: false},
		{errTTY: true, quiet: true, want: false}, // --quiet
		{errTTY: true, quiet: false, want: true},
	}
	for _, tt := range tests {
		s, _, errOut := Test()
		s.ErrTTY, s.Quiet = tt.errTTY, tt.quiet
		bar := s.Progress("positions", 100)
		if got := bar.Enabled(); got != tt.want {
			t.Errorf("ErrTTY %v Quiet %v: bar enabled %v, want %v", tt.errTTY, tt.quiet, got, tt.want)
		}
		bar.Add(50, 5)
		bar.Done()
		if !tt.want && errOut.Len() != 0 {
			t.Errorf("ErrTTY %v Quiet %v: disabled bar wrote %q", tt.errTTY, tt.quiet, errOut.String())
		}
	}
}

func TestTestStreamsAreNotTerminals(t *testing.T) {
	s, _, _ := Test()
	if s.OutTTY || s.ErrTTY || s.Quiet {
		t.Errorf("Test() streams: OutTTY %v ErrTTY %v Quiet %v, want all false", s.OutTTY, s.ErrTTY, s.Quiet)
	}
}
