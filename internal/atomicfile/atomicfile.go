// Package atomicfile writes files all or nothing: every file goes to a
// temporary file beside its final name (mode 0600), is flushed, synced to
// disk and renamed into place only once it is whole, so a reader never
// sees half a file and a failed write leaves no new file and an existing
// one untouched. WriteFile writes one file; CreateFile writes one that
// must not exist, hard-linking it into place instead, so that no file is
// ever replaced; a Batch writes many in parallel and puts them in place
// only when every one succeeded. Every writer of dpnkit's outputs goes
// through it.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// File is one file for a Batch or WriteFiles: its name in the folder and
// what writes its content.
type File struct {
	Name  string
	Write func(io.Writer) error
}

// WriteFile atomically creates dir/name with mode 0600: write fills a
// temporary file in dir, which is flushed, synced and renamed into place.
// On any error no new file is left behind and an existing dir/name is
// untouched. It returns the path written.
func WriteFile(dir, name string, write func(io.Writer) error) (string, error) {
	final := filepath.Join(dir, name)
	if err := checkName(dir, name); err != nil {
		return "", err
	}
	tmp, err := writeTemp(dir, name, write)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	SyncDir(dir)
	return final, nil
}

// CreateFile is WriteFile for a file that must not exist: the complete
// temporary file is hard-linked at dir/name (LinkNew), so a file there,
// even one made while write ran, is never replaced; the error then wraps
// fs.ErrExist. On any error no new file is left behind.
func CreateFile(dir, name string, write func(io.Writer) error) (string, error) {
	final := filepath.Join(dir, name)
	if err := checkName(dir, name); err != nil {
		return "", err
	}
	tmp, err := writeTemp(dir, name, write)
	if err == nil {
		err = LinkNew(tmp, final)
	}
	if err != nil {
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	return final, nil
}

// LinkNew puts the complete, synced and closed temporary file tmp at final
// by a hard link, which fails, wrapping fs.ErrExist, when final exists: no
// file is replaced, even one made a moment ago. On a file system without
// hard links (FAT and exFAT drives, some network shares) tmp is renamed
// instead, unless final exists by then. tmp is removed whatever happens;
// the new name is made durable where the platform allows.
func LinkNew(tmp, final string) error {
	err := os.Link(tmp, final)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		if _, statErr := os.Lstat(final); statErr == nil {
			err = &os.LinkError{Op: "link", Old: tmp, New: final, Err: fs.ErrExist}
		} else {
			err = os.Rename(tmp, final)
		}
	}
	_ = os.Remove(tmp)
	if err != nil {
		return err
	}
	SyncDir(filepath.Dir(final))
	return nil
}

// checkName refuses a name that is not one plain file name in dir.
func checkName(dir, name string) error {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
		return fmt.Errorf("write %s: invalid file name %q", filepath.Join(dir, name), name)
	}
	return nil
}

// SyncDir makes a rename in dir durable where the platform allows; failing
// to sync a folder is not worth failing a write for.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// fileBuffers are the temporary files' buffers, reused: a run writes
// hundreds of files.
var fileBuffers sync.Pool

// PooledWriter takes a buffered writer of size bytes from pool, pointed at
// w; put hands it back, pointed at nothing, once the caller has flushed
// it. Writers of many parts (files, workbook tabs) keep their buffers
// this way instead of allocating one each.
func PooledWriter(pool *sync.Pool, w io.Writer, size int) (bw *bufio.Writer, put func()) {
	bw, _ = pool.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriterSize(w, size)
	}
	bw.Reset(w)
	return bw, func() {
		bw.Reset(io.Discard)
		pool.Put(bw)
	}
}

// writeTemp writes a complete temporary file for name in dir and returns
// its path; on error it removes it.
func writeTemp(dir, name string, write func(io.Writer) error) (path string, err error) {
	f, err := fillTemp(dir, name, write)
	if err != nil {
		return "", err
	}
	if err := syncClose(f); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// fillTemp writes a temporary file for name in dir, mode 0600, and returns
// it open and flushed but not yet synced (syncClose); on error it removes
// it.
func fillTemp(dir, name string, write func(io.Writer) error) (_ *os.File, err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return nil, fmt.Errorf("set mode of %s: %w", f.Name(), err)
	}
	bw, put := PooledWriter(&fileBuffers, f, 256<<10)
	defer put()
	if err := write(bw); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return f, nil
}

// syncClose syncs f to disk and closes it.
func syncClose(f *os.File) error {
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	return closeFile(f)
}

// closeFile closes f, naming it in an error.
func closeFile(f *os.File) error {
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}
