package pipeline

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"dpnkit/internal/atomicfile"
)

// A run writes its files into a folder of its own in --out (docs/run-layout.md):
//
//	OUT/2026-11-25_01/          the first real run for as-of 2026-11-25
//	OUT/2026-11-25_02/          the next one for the same day
//	OUT/2026-11-25_dry-run_01/  a dry run
//
// The files are written into a hidden staging folder,
// OUT/.dpnkit-run-<pid>-<host>-<random>.tmp, and the staging folder is
// renamed to the next free run folder only once the run's state is
// committed (a dry run: once its files are written). A run that fails, is
// refused or is stopped removes its staging folder; one killed outright
// (SIGKILL, power loss) leaves it, and the next run into the same --out on
// the same machine removes it once its process is gone. So no run ever
// writes where another run's files are, and a run folder exists only for a
// run that finished.

// runFolderName matches a published run folder: date, "_dry-run" for a dry
// run, and the sequence number.
var runFolderName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(_dry-run)?_(\d+)$`)

// stagingPrefix begins the name of every staging folder.
const stagingPrefix = ".dpnkit-run-"

// stagingName matches a staging folder: the process id and the host tag
// of the run writing it.
var stagingName = regexp.MustCompile(`^\.dpnkit-run-(\d+)-([0-9a-f]{8})-\d+\.tmp$`)

// legacyTemp matches the temporary files earlier versions of dpnkit wrote
// straight into --out for a run's files (".POR_20261125.csv.123.tmp"): no
// run writes there now, so any such file is a killed run's leftover.
var legacyTemp = regexp.MustCompile(`^\.(POR_|Run_Summary_|Notifications_|DE_).+\.\d+\.tmp$`)

// runFolder is where one run's files go.
type runFolder struct {
	out     string // --out
	prefix  string // "2026-11-25" or "2026-11-25_dry-run"
	staging string // the hidden folder the files are written into; "" once published or removed
}

// newRunFolder prepares out for a run: it creates out if missing, removes
// the leftovers of killed runs (reported on notes), and creates the run's
// staging folder.
func newRunFolder(out string, asOf time.Time, dryRun bool, notes io.Writer) (*runFolder, error) {
	if err := ensureWritableDir(out); err != nil {
		return nil, err
	}
	if n := removeStale(out); n > 0 {
		fmt.Fprintf(notes, "removed %d temporary file(s) or folder(s) left in %s by a run that was killed\n", n, out)
	}
	staging, err := os.MkdirTemp(out, fmt.Sprintf("%s%d-%s-*.tmp", stagingPrefix, os.Getpid(), hostTag()))
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", out, err)
	}
	prefix := asOf.Format("2006-01-02")
	if dryRun {
		prefix += "_dry-run"
	}
	return &runFolder{out: out, prefix: prefix, staging: staging}, nil
}

// discard removes the staging folder and everything in it, unless the run
// was published.
func (f *runFolder) discard() {
	if f == nil || f.staging == "" {
		return
	}
	_ = os.RemoveAll(f.staging)
	f.staging = ""
}

// publish renames the staging folder to the next free run folder for the
// run's date and kind (one more than the highest there, from 01) and
// returns its path. A name taken meanwhile by another run is skipped.
func (f *runFolder) publish() (string, error) {
	next := 1
	if entries, err := os.ReadDir(f.out); err == nil {
		for _, e := range entries {
			m := runFolderName.FindStringSubmatch(e.Name())
			if m == nil || m[1]+m[2] != f.prefix {
				continue
			}
			if n, err := strconv.Atoi(m[3]); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	for seq := next; seq < next+1000; seq++ {
		final := filepath.Join(f.out, fmt.Sprintf("%s_%02d", f.prefix, seq))
		if _, err := os.Lstat(final); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("name the run folder %s: %w", final, err)
		}
		// A run folder is never empty, so the rename fails (rather than
		// replacing it) should another run have taken the name meanwhile.
		if err := os.Rename(f.staging, final); err != nil {
			if _, statErr := os.Lstat(final); statErr == nil {
				continue
			}
			return "", fmt.Errorf("name the run folder %s: %w", final, err)
		}
		f.staging = ""
		atomicfile.SyncDir(f.out)
		return final, nil
	}
	return "", fmt.Errorf("name the run folder in %s: no free name from %s_%02d", f.out, f.prefix, next)
}

// removeStale removes what killed runs left in out: staging folders of
// this machine whose process has ended, and temporary files of the names
// earlier versions wrote there. It returns how many it removed. A staging
// folder of a live process (a run going on beside this one) or of another
// machine is left alone.
func removeStale(out string) int {
	entries, err := os.ReadDir(out)
	if err != nil {
		return 0
	}
	host, removed := hostTag(), 0
	for _, e := range entries {
		name := e.Name()
		if m := stagingName.FindStringSubmatch(name); m != nil && e.IsDir() {
			pid, err := strconv.Atoi(m[1])
			if err != nil || m[2] != host || pid == os.Getpid() || processAlive(pid) {
				continue
			}
			if os.RemoveAll(filepath.Join(out, name)) == nil {
				removed++
			}
			continue
		}
		if legacyTemp.MatchString(name) && e.Type().IsRegular() {
			if os.Remove(filepath.Join(out, name)) == nil {
				removed++
			}
		}
	}
	return removed
}

// hostTag is 8 hex digits naming this machine in staging folder names, so
// that a run never removes a staging folder written from another machine
// into a shared folder (it cannot tell whether that run is alive).
func hostTag() string {
	h, _ := os.Hostname()
	return fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(h)))
}

// processAlive reports whether a process pid runs on this machine. When
// it cannot tell it says yes: a staging folder is removed only when its
// run is surely gone.
func processAlive(pid int) bool {
	if pid <= 0 {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone)
}

// checkRunPaths refuses a --db that a run into out could write over or
// that would sit among a run's files: the --out folder itself, or any path
// inside a run folder or staging folder of out (symbolic links followed).
func checkRunPaths(out, db string) error {
	o, d := resolvePath(out), resolvePath(db)
	if o == d {
		return &UsageError{fmt.Sprintf("--db %s and --out %s are the same path: give the run history a file of its own "+
			"(beside the run folders is fine, e.g. --db %s)", db, out, filepath.Join(out, "dpnkit.db"))}
	}
	rel, err := filepath.Rel(o, d)
	if err != nil || rel == "." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || rel == ".." {
		return nil
	}
	parts := strings.Split(rel, string(filepath.Separator))
	if len(parts) < 2 {
		return nil // beside the run folders
	}
	if runFolderName.MatchString(parts[0]) || strings.HasPrefix(parts[0], stagingPrefix) {
		return &UsageError{fmt.Sprintf("--db %s is inside the run folder %s of --out %s: run folders hold a run's "+
			"files only; keep the run history elsewhere (beside them is fine, e.g. --db %s)",
			db, filepath.Join(out, parts[0]), out, filepath.Join(out, "dpnkit.db"))}
	}
	return nil
}

// resolvePath makes p absolute with symbolic links resolved as far as the
// path exists.
func resolvePath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}
