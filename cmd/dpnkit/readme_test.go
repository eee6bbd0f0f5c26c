package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestREADMEExampleSession pastes the README's example session into a shell,
// line by line, in an empty folder, as a new user would after `make build`:
// every line must run (exit 0, or 1 where the data is NOT READY), never exit
// 2 (usage) or 3 (could not run, e.g. a file the previous line did not write).
func TestREADMEExampleSession(t *testing.T) {
	lines, err := exampleSession("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 3 {
		t.Fatalf("README example session has %d commands; want the whole session", len(lines))
	}
	var script strings.Builder
	for _, l := range lines {
		// The status check is part of the pasted line, so a failure names it.
		fmt.Fprintf(&script, "exec sh -c '%s; s=$?; [ $s -le 1 ] || { echo \"exit $s: %s\" >&2; exit 1; }'\n",
			quoteScript(l), quoteScript(strings.ReplaceAll(l, `"`, `\"`)))
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "readme.txtar")
	if err := os.WriteFile(file, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{Files: []string{file}})
}

// exampleSession returns the commands of the README's "Example session"
// block: its lines starting "$ ", without the prompt and the trailing comment.
func exampleSession(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	in, fence := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "## "):
			in = strings.EqualFold(strings.TrimSpace(l[3:]), "Example session")
		case in && strings.HasPrefix(l, "```"):
			fence = !fence
		case in && fence && strings.HasPrefix(l, "$ "):
			cmd := l[2:]
			if i := strings.Index(cmd, " # "); i >= 0 {
				cmd = cmd[:i]
			}
			out = append(out, strings.TrimSpace(cmd))
		}
	}
	return out, sc.Err()
}

// quoteScript doubles single quotes for testscript's '...' quoting.
func quoteScript(s string) string { return strings.ReplaceAll(s, "'", "''") }
