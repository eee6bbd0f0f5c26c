// Package iostreams carries the standard streams from main to the packages
// below it, so that nothing under cmd/ writes to os.Stdout or os.Stderr
// directly and every command can be tested with buffers.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

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
	// Width is the width of the terminal Out is shown on: $COLUMNS, else
	// the terminal's size; 0 when unknown (Out is a file or a pipe), and
	// tables are then as wide as their cells.
	Width int
	// Color: Out is a terminal that shows colour, and neither NO_COLOR nor
	// --no-color turned it off.
	Color bool
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
	s := &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr)}
	s.Width = width(os.Getenv("COLUMNS"), s.OutTTY, func() (int, error) {
		w, _, err := term.GetSize(int(os.Stdout.Fd()))
		return w, err
	})
	s.Color = colorOn(s.OutTTY, os.Getenv("NO_COLOR"), os.Getenv("TERM"))
	return s
}

// width is $COLUMNS when it is a number, else the terminal's width when
// Out is one, else 0.
func width(columns string, tty bool, size func() (int, error)) int {
	if n, err := strconv.Atoi(strings.TrimSpace(columns)); err == nil && n > 0 {
		return n
	}
	if tty {
		if n, err := size(); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// colorOn: only on a terminal, not a dumb one, and not with NO_COLOR set
// to anything but the empty string (no-color.org).
func colorOn(tty bool, noColor, termName string) bool {
	return tty && noColor == "" && termName != "dumb"
}

// Test returns streams backed by buffers, and the buffers: not terminals,
// no width, no colour. Only tests call it, in 13 packages; Go shares no
// unexported helper between packages, so it is exported here as
// cli/cli's iostreams.Test is, rather than in a package of its own (as
// net/http/httptest) for one function. A test checks that no
// non-test file calls it (TestOnlyTestsCallTest).
func Test() (s *Streams, out, errOut *bytes.Buffer) {
	out, errOut = new(bytes.Buffer), new(bytes.Buffer)
	return &Streams{In: new(bytes.Buffer), Out: out, Err: errOut}, out, errOut
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
