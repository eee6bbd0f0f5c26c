package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestWriteFile(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name     string
		existing string // content of an existing file, "" for none
		write    func(io.Writer) error
		wantErr  bool
		want     string // file content afterwards, "" when absent
	}{
		{"creates", "", func(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }, false, "hello"},
		{"failure leaves nothing", "", func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return boom }, true, ""},
		{"failure keeps the old file", "old", func(w io.Writer) error { return boom }, true, "old"},
		{"replaces", "old", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, false, "new"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "out.xlsx")
			if tc.existing != "" {
				if err := os.WriteFile(target, []byte(tc.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			path, err := WriteFile(dir, "out.xlsx", tc.write)
			if tc.wantErr {
				if !errors.Is(err, boom) || !strings.Contains(err.Error(), target) {
					t.Errorf("err = %v, want boom naming %s", err, target)
				}
			} else if err != nil || path != target {
				t.Fatalf("WriteFile = %q, %v", path, err)
			}
			assertOnlyFile(t, dir, target, tc.want, !tc.wantErr)
		})
	}
}

func TestWriteFileBadDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := WriteFile(dir, "x.json", func(io.Writer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("err = %v, want an error naming %s", err, dir)
	}
	for _, name := range []string{"", "a/b", ".."} {
		if _, err := WriteFile(t.TempDir(), name, func(io.Writer) error { return nil }); err == nil {
			t.Errorf("WriteFile(%q) succeeded, want invalid name", name)
		}
	}
}

// assertOnlyFile checks that dir holds target with content want and
// nothing else, or nothing at all when want is ""; written, the file
// must be mode 0600.
func assertOnlyFile(t *testing.T, dir, target, want string, written bool) {
	t.Helper()
	wantNames := []string{filepath.Base(target)}
	if want == "" {
		wantNames = nil
	}
	if got := dirNames(t, dir); !slices.Equal(got, wantNames) {
		t.Errorf("dir holds %q, want %q", got, wantNames)
	}
	if want == "" {
		return
	}
	b, err := os.ReadFile(target)
	if err != nil || string(b) != want {
		t.Errorf("content = %q (%v), want %q", b, err, want)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if written && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

// CreateFile writes a new file whole, mode 0600, and never replaces one:
// not one there before, nor one made while write ran. A refusal wraps
// fs.ErrExist, and no temporary file is left on any path.
func TestCreateFile(t *testing.T) {
	boom := errors.New("boom")
	hello := func(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }
	for _, tc := range []struct {
		name     string
		existing string                                    // content of a file there before, "" for none
		write    func(target string) func(io.Writer) error // given the final path
		wantErr  error
		want     string // file content afterwards, "" when absent
	}{
		{"creates", "", func(string) func(io.Writer) error { return hello }, nil, "hello"},
		{"refuses an existing file", "old", func(string) func(io.Writer) error { return hello }, fs.ErrExist, "old"},
		{"refuses a file made meanwhile", "", func(target string) func(io.Writer) error {
			return func(w io.Writer) error {
				if err := os.WriteFile(target, []byte("theirs"), 0o600); err != nil {
					return err
				}
				return hello(w)
			}
		}, fs.ErrExist, "theirs"},
		{"failure leaves nothing", "", func(string) func(io.Writer) error {
			return func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return boom }
		}, boom, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "out.csv")
			if tc.existing != "" {
				if err := os.WriteFile(target, []byte(tc.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			path, err := CreateFile(dir, "out.csv", tc.write(target))
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), target) {
					t.Errorf("err = %v, want %v naming %s", err, tc.wantErr, target)
				}
			} else if err != nil || path != target {
				t.Fatalf("CreateFile = %q, %v", path, err)
			}
			assertOnlyFile(t, dir, target, tc.want, tc.wantErr == nil)
		})
	}
	for _, name := range []string{"", "a/b", ".."} {
		if _, err := CreateFile(t.TempDir(), name, func(io.Writer) error { return nil }); err == nil {
			t.Errorf("CreateFile(%q) succeeded, want invalid name", name)
		}
	}
}

// PooledWriter hands out a writer pointed at the writer given, and takes
// it back pointed at nothing: a writer kept by mistake after put cannot
// write into the next user's file.
func TestPooledWriter(t *testing.T) {
	var pool sync.Pool
	var a, b strings.Builder
	bw, put := PooledWriter(&pool, &a, 16)
	if _, err := io.WriteString(bw, "first"); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	put()
	_, _ = io.WriteString(bw, "stray")
	_ = bw.Flush()
	bw2, put2 := PooledWriter(&pool, &b, 16)
	defer put2()
	if _, err := io.WriteString(bw2, "second"); err != nil {
		t.Fatal(err)
	}
	if err := bw2.Flush(); err != nil {
		t.Fatal(err)
	}
	if a.String() != "first" || b.String() != "second" {
		t.Errorf("writers got %q and %q, want \"first\" and \"second\"", a.String(), b.String())
	}
}
