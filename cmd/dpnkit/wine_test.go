package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWindowsBinaryUnderWine builds dpnkit.exe and runs `check --format
// json` on the committed samples under Wine: the JSON and the exit status
// must be the Linux binary's, apart from the version. Debian's Wine 8.0
// lacks bcryptprimitives.dll, which Go's Windows runtime needs; the test
// builds a stand-in (testdata/wine) into a temporary Wine prefix. Skipped
// without wine or the MinGW compiler, except in CI (CI=true), where
// .ci/run installs them and their absence fails the test.
func TestWindowsBinaryUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries and starts Wine")
	}
	wine := lookTool(t, "wine")
	gcc := lookTool(t, "x86_64-w64-mingw32-gcc")
	dir := t.TempDir()
	exe, linux := filepath.Join(dir, "dpnkit.exe"), filepath.Join(dir, "dpnkit")
	run(t, nil, "go", "build", "-o", linux, ".")
	run(t, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, "go", "build", "-o", exe, ".")
	prefix := winePrefix(t, wine, gcc)
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY="}

	samples, _ := filepath.Abs("../../fixtures/samples")
	for _, sample := range []string{"positions.DAT", "positions_bom_crlf.csv", "positions_1252.tsv", "positions_excel_dates.xlsx"} {
		args := []string{"check", sample, "--as-of", "2026-11-25", "--format", "json"}
		want, wantCode := output(t, samples, nil, linux, args...)
		got, gotCode := output(t, samples, env, wine, append([]string{exe}, args...)...)
		if gotCode != wantCode || wantCode != 1 { // every sample is NOT READY
			t.Errorf("%s: exit status %d under Wine, %d on Linux, want 1", sample, gotCode, wantCode)
		}
		if g, w := comparable(t, got), comparable(t, want); g != w {
			t.Errorf("%s: the JSON differs under Wine\nwine:  %.2000s\nlinux: %.2000s", sample, g, w)
		}
	}
}

// lookTool is the path of the tool, or skips (fails in CI) without it.
func lookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not installed (CI=true: .ci/run installs it)", name)
	}
	t.Skipf("%s not installed", name)
	return ""
}

// winePrefix makes a fresh Wine prefix with the stand-in
// bcryptprimitives.dll in its system32. Its wineserver is started first,
// persistent and without the test's pipes (a wineserver that a wine
// command started would hold that command's output open for a few
// seconds after it ends), and stopped at the end of the test.
func winePrefix(t *testing.T, wine, gcc string) string {
	t.Helper()
	prefix := t.TempDir()
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY="}
	server := filepath.Join(filepath.Dir(wine), "wineserver")
	run(t, env, server, "--persistent=60") // ends by itself 60 s after its last client
	t.Cleanup(func() {
		c := exec.Command(server, "-k")
		c.Env = append(os.Environ(), env...)
		_ = c.Run()
	})
	run(t, env, wine, "wineboot", "-i")
	src, _ := filepath.Abs("testdata/wine/bcryptprimitives.c")
	dll := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	run(t, nil, gcc, "-shared", "-O2", "-o", dll, src, "-ladvapi32")
	return prefix
}

// run runs name and fails the test if it fails.
func run(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	if out, errOut, code := runFiles(t, "", env, name, args...); code != 0 {
		t.Fatalf("%s %s: exit status %d\n%s%s", name, strings.Join(args, " "), code, out, errOut)
	}
}

// output runs name in dir and returns its standard output and exit status.
func output(t *testing.T, dir string, env []string, name string, args ...string) ([]byte, int) {
	t.Helper()
	out, _, code := runFiles(t, dir, env, name, args...)
	return out, code
}

// runFiles runs name in dir ("" = the test's) and returns its standard
// output and error and its exit status. They go through files, not pipes:
// Wine's background processes (wineserver, services.exe) inherit the
// command's descriptors and would hold a pipe open long after it ends.
func runFiles(t *testing.T, dir string, env []string, name string, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	tmp := t.TempDir()
	outPath, errPath := filepath.Join(tmp, "stdout"), filepath.Join(tmp, "stderr")
	of, err1 := os.Create(outPath)
	ef, err2 := os.Create(errPath)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	c := exec.Command(name, args...)
	c.Dir, c.Env, c.Stdout, c.Stderr = dir, append(os.Environ(), env...), of, ef
	err := c.Run()
	of.Close()
	ef.Close()
	stdout, _ = os.ReadFile(outPath)
	stderr, _ = os.ReadFile(errPath)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return stdout, stderr, ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return stdout, stderr, 0
}

// comparable is the JSON document without its version, re-encoded, with
// Windows path separators as Linux ones.
func comparable(t *testing.T, doc []byte) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("not JSON: %v\n%.500s", err, doc)
	}
	delete(v, "version")
	b, _ := json.MarshalIndent(v, "", " ")
	return strings.ReplaceAll(string(b), `\\`, "/")
}
