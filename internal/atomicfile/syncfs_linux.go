package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// wholeSync reports that a Batch syncs its folder's file system once,
// before it renames its files, instead of each file as it is written.
//
// A national interface run writes ~630 files; each fsync on ext4 commits
// the journal on its own, and they cost ~0.5 s of CPU time per run
// (docs/performance.md). syncfs(2) writes every dirty page of the file
// system in one pass and reports a write-back error since Linux 5.8.
const wholeSync = true

// syncFS writes to disk everything written in dir's file system.
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return &os.PathError{Op: "syncfs", Path: dir, Err: err}
	}
	return nil
}
