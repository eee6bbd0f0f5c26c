package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dpnkit/internal/iostreams"
)

// --cpuprofile writes the profile (gzip-compressed, as pprof reads it) and
// nothing else into the folder; a file already at the path is refused and
// left as it was.
func TestCPUProfileFlag(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "pos.csv")
	if err := os.WriteFile(csv, []byte("VPD,Position Number,Position Name,Deanery Post Number,Managing Deanery Body\n"+
		"504,12345678,12345678|Specialty Registrar|123|Cardiology,KSS/A12345/100/STR/123,KSS\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "cpu.prof")
	s, _, errOut := iostreams.Test()
	if code := execute([]string{"check", csv, "--as-of", "2026-11-25", "--cpuprofile", prof}, s); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the profile is not gzip-compressed: %v", err)
	}
	if _, err := io.ReadAll(zr); err != nil {
		t.Fatalf("the profile does not decompress: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"cpu.prof", "pos.csv"}) {
		t.Errorf("folder holds %q, want the profile and the input only", names)
	}

	s, _, errOut = iostreams.Test()
	if code := execute([]string{"check", csv, "--as-of", "2026-11-25", "--cpuprofile", prof}, s); code != exitCannot {
		t.Errorf("exit %d with the profile's file there, want %d", code, exitCannot)
	}
	if !strings.Contains(errOut.String(), "the file exists; it is not replaced") {
		t.Errorf("stderr %q", errOut)
	}
	if after, _ := os.ReadFile(prof); !bytes.Equal(after, b) {
		t.Error("the existing profile was changed")
	}
}
