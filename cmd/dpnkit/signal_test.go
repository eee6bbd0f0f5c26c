//go:build unix

package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"dpnkit/internal/iostreams"
)

const (
	sigPositions = `VPD,Position ID,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group,Host/Lead Employer Status
504,654321,10508064,10508064|Specialty Registrar|N1L|Child Protection,WAL/1D9PL/527/TYU/987,WAL,Medical and Dental,Host Employer
504,654322,10508065,10508065|Specialty Registrar|N1L|Paediatrics,WAL/1D9PL/527/TYU/988,WAL,Medical and Dental,Host Employer
`
	sigPlacementsDay1 = `Placement TIS ID,National Post Number,Surname,Forenames,GMC Number,Date of Birth,Start Date,End Date,Placement Type,Managing Deanery
1716002,WAL/1D9PL/527/TYU/987,Ghani,Yaser,7021070,1980-01-02,2026-12-07,2027-08-04,In post,Wales
`
	sigPlacementsDay2 = sigPlacementsDay1 + `1716003,WAL/1D9PL/527/TYU/988,Jones,Ann,7021071,1985-03-04,2026-12-08,2027-08-04,In post,Wales
`
)

// TestSignalStopsRun: a run stopped by SIGTERM, SIGHUP or Ctrl-C at any
// point before its commit exits 128 + the signal, keeps no file (no
// temporary file, no staging or run folder) and leaves the history exactly
// as it was; the next run goes ahead on it.
func TestSignalStopsRun(t *testing.T) {
	for _, tc := range []struct {
		stage string
		sig   syscall.Signal
		code  int
		name  string
	}{
		{"writing", syscall.SIGTERM, 143, "SIGTERM"},
		{"committing", syscall.SIGHUP, 129, "SIGHUP"},
		{"positions staged", syscall.SIGINT, 130, "SIGINT"},
	} {
		t.Run(tc.name+" while "+tc.stage, func(t *testing.T) {
			dir, db := day1(t)
			before := dumpTables(t, db)
			out := filepath.Join(dir, "out")
			child, marker := startPaused(t, dir, tc.stage, out, db)
			if tc.stage == "writing" {
				// The proof that there was something to remove: the first
				// file's temporary file, in the run's staging folder.
				if tmps := tempFiles(t, out); len(tmps) < 2 {
					t.Fatalf("paused while writing, --out holds %q: want a staging folder and a .tmp file", tmps)
				}
			}
			if err := child.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			code, stderr := waitChild(t, child)
			if code != tc.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, "stopped by "+tc.name) || !strings.Contains(stderr, "history is unchanged") {
				t.Errorf("stderr does not say the run was stopped and the history unchanged:\n%s", stderr)
			}
			if left := allEntries(t, out); len(left) != 0 {
				t.Errorf("the stopped run left %q in --out", left)
			}
			if after := dumpTables(t, db); after != before {
				t.Errorf("the stopped run changed the history:\nbefore %s\nafter  %s", before, after)
			}
			_ = os.Remove(marker)
			runDay2(t, dir, out, db, "2026-11-26_01")
		})
	}
}

// TestKilledRunLeftoversRemoved: SIGKILL cannot be caught; the killed
// run's staging folder (and its temporary file) stays until the next run
// into the same --out removes it, and the history is as before.
func TestKilledRunLeftoversRemoved(t *testing.T) {
	dir, db := day1(t)
	before := dumpTables(t, db)
	out := filepath.Join(dir, "out")
	child, _ := startPaused(t, dir, "writing", out, db)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = waitChild(t, child)
	// And a temporary file an earlier version of dpnkit, killed, left in
	// --out itself.
	if err := os.WriteFile(filepath.Join(out, ".POR_20261125.csv.123456.tmp"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if tmps := tempFiles(t, out); len(tmps) < 3 {
		t.Fatalf("after SIGKILL --out holds %q: want the staging folder, its .tmp files and the old .tmp", tmps)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("the killed run changed the history")
	}
	stdout := runDay2(t, dir, out, db, "2026-11-26_01")
	if !strings.Contains(stdout, "removed 2 temporary file(s) or folder(s)") {
		t.Errorf("the next run did not say it removed the leftovers:\n%s", stdout)
	}
	if tmps := tempFiles(t, out); len(tmps) != 0 {
		t.Errorf("after the next run --out still holds %q", tmps)
	}
}

// day1 writes the inputs and runs day 1 into dir/day1 with the history
// dir/h.db.
func day1(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	for name, text := range map[string]string{"positions.csv": sigPositions, "day1.csv": sigPlacementsDay1,
		"day2.csv": sigPlacementsDay2} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db = filepath.Join(dir, "h.db")
	s, out, errOut := iostreams.Test()
	if code := execute(runArgs(dir, "day1.csv", "2026-11-25", filepath.Join(dir, "day1"), db), s); code != 0 {
		t.Fatalf("day 1: exit %d\n%s%s", code, out, errOut)
	}
	return dir, db
}

func runArgs(dir, placements, asOf, out, db string) []string {
	return []string{"run", "--positions", filepath.Join(dir, "positions.csv"), "--placements", filepath.Join(dir, placements),
		"--as-of", asOf, "--out", out, "--db", db}
}

// runDay2 runs day 2 in process and checks it lands in out/folder with
// its APP file; it returns what the run printed.
func runDay2(t *testing.T, dir, out, db, folder string) string {
	t.Helper()
	s, stdout, stderr := iostreams.Test()
	if code := execute(runArgs(dir, "day2.csv", "2026-11-26", out, db), s); code != 0 {
		t.Fatalf("the run after: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, folder, "DE_WAL_APP_20261126_00000002.DAT")); err != nil {
		t.Errorf("the run after: %v", err)
	}
	return stdout.String() + stderr.String()
}

// startPaused starts the test binary as `dpnkit run` for day 2, paused at
// stage, and returns once it is there.
func startPaused(t *testing.T, dir, stage, out, db string) (*exec.Cmd, string) {
	t.Helper()
	marker := filepath.Join(dir, "paused")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, runArgs(dir, "day2.csv", "2026-11-26", out, db)...)
	cmd.Env = append(os.Environ(), pausedRunEnv+"="+stage, pauseMarker+"="+marker)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(marker); err == nil {
			return cmd, marker
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("the run never reached %q:\n%s", stage, stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitChild waits for the child and returns its exit status and output.
func waitChild(t *testing.T, cmd *exec.Cmd) (int, string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the run did not end within a minute of the signal")
	}
	out := fmt.Sprint(cmd.Stderr)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out
}

// allEntries lists every file and folder under dir (relative), if it exists.
func allEntries(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir {
			rel, _ := filepath.Rel(dir, path)
			names = append(names, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return names
}

// tempFiles lists the entries under dir whose name ends in .tmp.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var tmps []string
	for _, e := range allEntries(t, dir) {
		if strings.HasSuffix(e, ".tmp") {
			tmps = append(tmps, e)
		}
	}
	return tmps
}

// dumpTables is every row of every table of the database at path, as text.
func dumpTables(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&b, "[%s]", table)
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, " %v", vals)
		}
		rows.Close()
	}
	if !strings.Contains(b.String(), "[runs] [") {
		t.Fatalf("the history holds no run: %s", b.String())
	}
	return b.String()
}
