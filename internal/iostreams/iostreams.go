// Package iostreams carries the standard streams from main to the packages
// below it, so that nothing under cmd/ writes to os.Stdout or os.Stderr
// directly and every command can be tested with buffers.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"dpnkit/internal/progress"
)

// Streams are a command's input and outputs.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	OutTTY bool // Out is a terminal
	ErrTTY bool // Err is a terminal
	// Quiet turns the progress bar off (--quiet). The root command also
	// sets it for --format json and csv: output meant for a program draws
	// nothing on the terminal either.
	Quiet bool
	// Verbose asks for the details a command leaves out by default
	// (-v/--verbose): which column of each input fed which field.
	Verbose bool
}

// Progress starts a progress bar on Err for the phase label over total
// bytes (0 = unknown). It is nil — a disabled bar, every method a no-op —
// unless Err is a terminal and s is not Quiet. The caller must call Done
// before it writes anything else to Out or Err.
func (s *Streams) Progress(label string, total int64) *progress.Bar {
	if !s.ErrTTY || s.Quiet {
		return nil
	}
	return progress.New(s.Err, label, total, progress.Config{})
}

// System returns the process's own streams.
func System() *Streams {
	return &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr)}
}

// Test returns streams backed by buffers, and the buffers. Only tests call
// it (in 13 packages, as cli/cli's iostreams.Test): kept beside Streams,
// whose fields it fills, rather than in a package of its own for one function.
func Test() (s *Streams, out, errOut *bytes.Buffer) {
	out, errOut = new(bytes.Buffer), new(bytes.Buffer)
	return &Streams{In: new(bytes.Buffer), Out: out, Err: errOut}, out, errOut
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
