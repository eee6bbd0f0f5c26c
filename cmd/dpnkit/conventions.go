package main

import (
	"dpnkit/internal/model"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"dpnkit/internal/atomicfile"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

// flagError makes a flag parsing error a usage error, with the flags the
// user most likely meant ("--asof": did you mean --as-of?) or, for a flag
// another command has, which command that is.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := unknownFlag(msg)
	if !ok {
		return &usageError{msg}
	}
	if hint := flagHints[cmd.Name()+" --"+name]; hint != "" {
		return &usageError{msg + "\n" + hint}
	}
	if near := nearFlags(cmd, name); len(near) > 0 {
		return &usageError{msg + "\n\nDid you mean this?\n\t" + strings.Join(near, "\n\t")}
	}
	if others := commandsWithFlag(cmd, name); len(others) > 0 {
		return &usageError{fmt.Sprintf("%s\n--%s is a flag of %s", msg, name, strings.Join(others, ", "))}
	}
	return &usageError{msg}
}

// flagHints explain flags people give to the wrong command.
var flagHints = map[string]string{
	"check --out": "check prints its findings; 'dpnkit report FILE... --out DIR' writes the DPN report workbooks " +
		"(and --output FILE writes check's table, CSV or JSON to a file)",
}

// unknownFlag is the flag named by pflag's "unknown flag: --name" (not
// its "unknown shorthand flag: 'x' in -x": no suggestion for those).
func unknownFlag(msg string) (string, bool) {
	if rest, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		name, _, _ := strings.Cut(rest, "=")
		return name, true
	}
	return "", false
}

// nearFlags are the flags of cmd within two edits of name, or starting
// with it, as --name, closest first.
func nearFlags(cmd *cobra.Command, name string) []string {
	type near struct {
		flag string
		d    int
	}
	var found []near
	see := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := model.EditDistance(strings.ToLower(name), f.Name)
		if d <= 2 || len(name) >= 3 && strings.HasPrefix(f.Name, name) {
			found = append(found, near{"--" + f.Name, d})
		}
	}
	cmd.Flags().VisitAll(see) // the inherited flags are merged in by now
	slices.SortStableFunc(found, func(a, b near) int { return a.d - b.d })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.flag
	}
	return out
}

// commandsWithFlag names the other commands that take --name.
func commandsWithFlag(cmd *cobra.Command, name string) []string {
	var out []string
	for _, c := range cmd.Root().Commands() {
		if c != cmd && c.Flags().Lookup(name) != nil {
			out = append(out, "'"+c.CommandPath()+"'")
		}
	}
	return out
}

// utf8BOM starts a CSV file written with --output, so that Excel reads it
// as UTF-8 (en dashes and non-breaking spaces intact). Stdout gets none: a
// program reading it does not want one.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// withOutput runs job with the streams' Out as it is, or, with --output
// FILE, as FILE: written whole or not at all (temporary file and hard
// link, mode 0600), never over an existing file, with a UTF-8 byte order
// mark first when format is CSV. A FILE that exists is refused before job
// runs; one made while it ran is refused after. The file is written even
// when job finds findings; when job fails no file is left.
func withOutput(s *iostreams.Streams, output, format string, job func(*iostreams.Streams) error) error {
	if output == "" {
		return job(s)
	}
	if _, err := os.Lstat(output); err == nil {
		return outputExists(output)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--output %s: %w", output, err)
	}
	fs := *s
	fs.OutTTY, fs.Width, fs.Color = false, 0, false
	var jobErr error
	path, err := atomicfile.CreateFile(filepath.Dir(output), filepath.Base(output), func(w io.Writer) error {
		if format == pipeline.FormatCSV {
			if _, err := w.Write(utf8BOM); err != nil {
				return err
			}
		}
		fs.Out = w
		jobErr = job(&fs)
		return jobErr
	})
	if jobErr != nil {
		return jobErr
	}
	if errors.Is(err, os.ErrExist) {
		return outputExists(output)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "wrote %s\n", path)
	return nil
}

func outputExists(output string) error {
	return fmt.Errorf("--output %s: the file exists; dpnkit never replaces a file: remove it or give another name", output)
}

// helpPointer is the line after a usage error: the help of the command
// that was run.
func helpPointer(cmd *cobra.Command) string {
	path := "dpnkit"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return "Run '" + path + " --help' for usage."
}
