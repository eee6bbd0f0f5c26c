package pipeline

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
)

func TestCheckRunPaths(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(out, "2026-11-25_01"), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(out, "2026-11-25_01"), link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, db, want string // want "" = accepted
	}{
		{"elsewhere", filepath.Join(dir, "dpnkit.db"), ""},
		{"beside the run folders", filepath.Join(out, "dpnkit.db"), ""},
		{"in a folder of out that is not a run's", filepath.Join(out, "history", "h.db"), ""},
		{"out itself", out, "are the same path"},
		{"out, spelt otherwise", out + "/./", "are the same path"},
		{"inside a run folder", filepath.Join(out, "2026-11-25_01", "h.db"), "inside the run folder"},
		{"inside a future run folder", filepath.Join(out, "2026-11-26_07", "h.db"), "inside the run folder"},
		{"inside a dry run's folder", filepath.Join(out, "2026-11-26_dry-run_01", "h.db"), "inside the run folder"},
		{"inside a staging folder", filepath.Join(out, ".dpnkit-run-1-00000000-1.tmp", "h.db"), "inside the run folder"},
		{"through a symbolic link", filepath.Join(link, "h.db"), "inside the run folder"},
		{"a relative path", "out/2026-11-25_01/h.db", ""}, // relative to the test's folder, not dir
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkRunPaths(out, tc.db)
			if tc.want == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a UsageError saying %q", err, tc.want)
			}
		})
	}
}

// Runs of a day are numbered from 01, one more than the highest there,
// dry runs apart; a name taken (even by a file) is skipped.
func TestRunFolderNumbering(t *testing.T) {
	out := t.TempDir()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	publish := func(dry bool) string {
		t.Helper()
		f, err := newRunFolder(out, day, dry, &strings.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.staging, "POR_20261125.csv"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		dir, err := f.publish()
		if err != nil {
			t.Fatal(err)
		}
		f.discard() // does nothing once published
		return filepath.Base(dir)
	}
	got := []string{publish(false), publish(false), publish(true)}
	// A file where the next folder would go, and a later folder the user made.
	if err := os.WriteFile(filepath.Join(out, "2026-11-25_03"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	got = append(got, publish(false))
	if err := os.Mkdir(filepath.Join(out, "2026-11-25_dry-run_09"), 0o700); err != nil {
		t.Fatal(err)
	}
	got = append(got, publish(true))
	want := []string{"2026-11-25_01", "2026-11-25_02", "2026-11-25_dry-run_01", "2026-11-25_04", "2026-11-25_dry-run_10"}
	if !slices.Equal(got, want) {
		t.Errorf("folders %q, want %q", got, want)
	}
	for _, name := range want {
		if b, err := os.ReadFile(filepath.Join(out, name, "POR_20261125.csv")); err != nil || string(b) != "x" {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
}

// removeStale removes the staging folders of ended processes of this
// machine and the old-style temporary files of a run's names, and nothing
// else.
func TestRemoveStale(t *testing.T) {
	out := t.TempDir()
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skip("cannot start a process to end:", err)
	}
	dead := ended.Process.Pid
	stage := func(pid int, host string) string {
		return stagingPrefix + strconv.Itoa(pid) + "-" + host + "-123.tmp"
	}
	dirs := map[string]bool{ // name: removed
		stage(dead, hostTag()):        true,
		stage(os.Getpid(), hostTag()): false, // this process: alive
		stage(dead, "0badf00d"):       false, // another machine's
		"2026-11-25_01":               false, // a run's folder
	}
	files := map[string]bool{
		".POR_20261125.csv.123.tmp":                  true,
		".DE_KSS_APP_20261125_00000001.csv.4567.tmp": true,
		".Notifications_504_20261125.txt.89.tmp":     true,
		".Run_Summary_20261125.xlsx.1.tmp":           true,
		".DPN_Report_504_20261125.xlsx.1.tmp":        false, // report's: may be live
		".Placement_ESR_Check_20261125.xlsx.1.tmp":   false,
		"POR_20261125.csv":                           false,
		".POR_20261125.csv.tmp":                      false, // not CreateTemp's
		stagingPrefix + "not-a-staging-folder.tmp":   false,
		"notes.txt": false,
		filepath.Join("2026-11-25_01", "POR_20261125.csv"): false,
	}
	for name := range dirs {
		if err := os.Mkdir(filepath.Join(out, name), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name, ".x.1.tmp"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(out, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n := removeStale(out); n != 5 {
		t.Errorf("removed %d, want 5", n)
	}
	for _, m := range []map[string]bool{dirs, files} {
		for name, removed := range m {
			_, err := os.Lstat(filepath.Join(out, name))
			if gone := errors.Is(err, os.ErrNotExist); gone != removed {
				t.Errorf("%s: removed %v, want %v", name, gone, removed)
			}
		}
	}
}

// An as-of date before the last run's is refused (UsageError) before any
// file is written, by a real run and a dry run alike, unless Force.
func TestRunRefusesEarlierAsOf(t *testing.T) {
	dir, m := genRunData(t)
	db := filepath.Join(dir, "h.db")
	runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "a"), 1, false)
	for _, dry := range []bool{false, true} {
		s, _, _ := iostreams.Test()
		out := filepath.Join(dir, "early-"+strconv.FormatBool(dry))
		_, err := Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: m.PlacementFiles,
			AsOf: asOf, DB: db, Out: out, DryRun: dry})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "before the last run") {
			t.Errorf("dry %v: err = %v, want a UsageError", dry, err)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("dry %v: the refused run made its --out: %v", dry, err)
		}
	}
	if _, runs := state(t, db); runs != 1 {
		t.Fatalf("%d runs after the refusals, want 1", runs)
	}
	s, _, errOut := iostreams.Test()
	if _, err := Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: m.PlacementFiles,
		AsOf: asOf, DB: db, Out: filepath.Join(dir, "forced"), Force: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "note: --force") {
		t.Errorf("a forced run says nothing of it: %s", errOut)
	}
	st, err := history.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if last, _, _ := st.LastAsOf(context.Background()); !last.Equal(asOf) {
		t.Errorf("last as-of %v after the forced run, want %v", last, asOf)
	}
}
