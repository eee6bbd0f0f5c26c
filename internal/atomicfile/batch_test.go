package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestWriteFiles(t *testing.T) {
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	fail := func(io.Writer) error { return errors.New("disk on fire") }
	for _, c := range []struct {
		name    string
		lots    [][]File // a Batch's Adds; one lot is also written by WriteFiles
		abort   bool
		want    []string // files in the folder afterwards (besides old.txt)
		wantErr string
	}{
		{"all written, sorted", [][]File{{{"b.txt", text("B")}, {"a.txt", text("A")}, {"c.txt", text("C")}}},
			false, []string{"a.txt", "b.txt", "c.txt"}, ""},
		{"one fails: none left", [][]File{{{"a.txt", text("A")}, {"b.txt", fail}, {"c.txt", text("C")}}},
			false, nil, "b.txt: disk on fire"},
		{"same name twice", [][]File{{{"a.txt", text("A")}, {"a.txt", text("A")}}}, false, nil, "two files of the same name"},
		{"a path is not a name", [][]File{{{"../a.txt", text("A")}}}, false, nil, "invalid file name"},
		{"nothing to write", [][]File{nil}, false, nil, ""},
		{"two lots", [][]File{{{"d.txt", text("D")}, {"a.txt", text("A")}}, {{"c.txt", text("C")}, {"b.txt", text("B")}}},
			false, []string{"a.txt", "b.txt", "c.txt", "d.txt"}, ""},
		{"the second lot fails: none of the first left", [][]File{{{"a.txt", text("A")}, {"b.txt", text("B")}},
			{{"c.txt", text("C")}, {"d.txt", fail}}}, false, nil, "d.txt: disk on fire"},
		{"the same name in two lots", [][]File{{{"a.txt", text("A")}}, {{"b.txt", text("B")}, {"a.txt", text("A")}}},
			false, nil, "a.txt: two files of the same name"},
		{"aborted: none left", [][]File{{{"a.txt", text("A")}}, {{"b.txt", text("B")}}}, true, nil, ""},
	} {
		write := map[string]func(dir string) ([]string, error){
			"Batch": func(dir string) ([]string, error) {
				b := NewBatch(context.Background(), dir)
				for _, lot := range c.lots {
					b.Add(lot, 2)
				}
				if c.abort {
					b.Abort()
					return nil, nil
				}
				return b.Close()
			},
		}
		if len(c.lots) == 1 {
			write["WriteFiles"] = func(dir string) ([]string, error) { return WriteFiles(dir, c.lots[0], 3) }
		}
		for how, write := range write {
			t.Run(c.name+"/"+how, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				paths, err := write(dir)
				if c.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), c.wantErr) {
						t.Fatalf("err = %v, want %q", err, c.wantErr)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				entries, _ := os.ReadDir(dir)
				var got []string
				for _, e := range entries {
					if e.Name() == "old.txt" {
						continue
					}
					got = append(got, e.Name())
					st, _ := os.Stat(filepath.Join(dir, e.Name()))
					if st.Mode().Perm() != 0o600 {
						t.Errorf("%s mode %v, want 0600", e.Name(), st.Mode().Perm())
					}
					b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
					if want := strings.ToUpper(strings.TrimSuffix(e.Name(), ".txt")); string(b) != want {
						t.Errorf("%s holds %q, want %q", e.Name(), b, want)
					}
				}
				if strings.Join(got, ",") != strings.Join(c.want, ",") {
					t.Errorf("folder holds %v, want %v", got, c.want)
				}
				if len(paths) != len(c.want) {
					t.Errorf("paths %v, want %d", paths, len(c.want))
				}
				for i := range paths {
					if paths[i] != filepath.Join(dir, c.want[i]) {
						t.Errorf("paths[%d] = %s, want %s", i, paths[i], c.want[i])
					}
				}
				if b, _ := os.ReadFile(filepath.Join(dir, "old.txt")); string(b) != "old" {
					t.Error("an unrelated file was touched")
				}
			})
		}
	}
}

// Add returns while its files are still being written: the caller goes
// on beside them.
func TestBatchAddDoesNotWait(t *testing.T) {
	dir := t.TempDir()
	release := make(chan struct{})
	b := NewBatch(context.Background(), dir)
	b.Add([]File{{"a.txt", func(w io.Writer) error {
		select {
		case <-release:
			_, err := io.WriteString(w, "A")
			return err
		case <-time.After(10 * time.Second):
			return errors.New("Add waited for the file it was given")
		}
	}}}, 1)
	close(release)
	paths, err := b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0] != filepath.Join(dir, "a.txt") {
		t.Errorf("paths = %v", paths)
	}
	if _, err := b.Close(); err == nil {
		t.Error("a second Close succeeded")
	}
}

// A batch whose context is cancelled begins no further file, and Close
// fails with the cause and leaves no file, not even a temporary one.
func TestBatchContextStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	b := NewBatch(ctx, dir)
	var later atomic.Int32
	first := File{Name: "a.txt", Write: func(w io.Writer) error {
		cancel(errors.New("stopped by SIGTERM"))
		_, err := io.WriteString(w, "A")
		return err
	}}
	files := []File{first}
	for i := range 20 {
		files = append(files, File{Name: fmt.Sprintf("b%02d.txt", i), Write: func(w io.Writer) error {
			later.Add(1)
			_, err := io.WriteString(w, "B")
			return err
		}})
	}
	b.Add(files, 1) // one writer: the files are begun in order
	_, err := b.Close()
	if err == nil || !strings.Contains(err.Error(), "stopped by SIGTERM") {
		t.Errorf("Close: %v, want the cancel's cause", err)
	}
	if n := later.Load(); n != 0 {
		t.Errorf("%d files begun after the cancel", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the folder holds %d entries, the first %s", len(entries), entries[0].Name())
	}
}

// TestSyncFilesFallsBackToEachFile: where the system has no syncfs, a
// batch syncs each of its files (a missing one is the batch's error);
// where syncfs works or fails with a write error, no file is opened again
// (a path that does not exist would fail the per-file pass).
func TestSyncFilesFallsBackToEachFile(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.tmp")
	if err := os.WriteFile(kept, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.tmp")
	noSyncFS := func(string) error { return errNoSyncFS }
	eio := &os.PathError{Op: "syncfs", Path: dir, Err: syscall.EIO}
	var asked []string
	tests := []struct {
		name   string
		syncfs func(string) error
		paths  []string
		want   string // "" = no error; otherwise in the error
	}{
		{"syncfs works", func(d string) error { asked = append(asked, d); return nil }, []string{kept, missing}, ""},
		{"syncfs write error", func(string) error { return eio }, []string{kept, missing}, "input/output error"},
		{"no syncfs, every file there", noSyncFS, []string{kept}, ""},
		{"no syncfs, a file missing", noSyncFS, []string{kept, missing}, "missing.tmp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := syncFiles(dir, tt.paths, tt.syncfs)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("syncFiles: %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("syncFiles: %v, want an error with %q", err, tt.want)
			}
		})
	}
	if len(asked) != 1 || asked[0] != dir {
		t.Errorf("syncfs asked for %q, want the batch's folder once", asked)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != "data" {
		t.Errorf("a synced file reads %q, %v: want it unchanged", b, err)
	}
}
