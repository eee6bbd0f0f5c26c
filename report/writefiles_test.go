package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFiles(t *testing.T) {
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	fail := func(io.Writer) error { return errors.New("disk on fire") }
	for _, c := range []struct {
		name    string
		files   []File
		want    []string // files in the folder afterwards (besides old.txt)
		wantErr string
	}{
		{"all written, sorted", []File{{"b.txt", text("B")}, {"a.txt", text("A")}, {"c.txt", text("C")}},
			[]string{"a.txt", "b.txt", "c.txt"}, ""},
		{"one fails: none left", []File{{"a.txt", text("A")}, {"b.txt", fail}, {"c.txt", text("C")}},
			nil, "b.txt: disk on fire"},
		{"same name twice", []File{{"a.txt", text("A")}, {"a.txt", text("A")}}, nil, "two files of the same name"},
		{"a path is not a name", []File{{"../a.txt", text("A")}}, nil, "invalid file name"},
		{"nothing to write", nil, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			paths, err := WriteFiles(dir, c.files, 3)
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
