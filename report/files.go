package report

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"dpnkit/checks"
	"dpnkit/internal/filename"
)

// WriteFile atomically creates dir/name with mode 0600: write fills a
// temporary file in dir, which is flushed, synced and renamed into place.
// On any error no new file is left behind and an existing dir/name is
// untouched. It returns the path written.
func WriteFile(dir, name string, write func(io.Writer) error) (string, error) {
	final := filepath.Join(dir, name)
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
		return "", fmt.Errorf("write %s: invalid file name %q", final, name)
	}
	tmp, err := writeTemp(dir, name, write)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", final, err)
	}
	syncDir(dir)
	return final, nil
}

// writeBuffers are writeTemp's buffers, reused: a run writes hundreds of files.
var writeBuffers sync.Pool

// pooledWriter takes a buffered writer of size bytes from pool, pointed at
// w; put hands it back, pointed at nothing, once the caller has flushed it.
func pooledWriter(pool *sync.Pool, w io.Writer, size int) (bw *bufio.Writer, put func()) {
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
	bw, put := pooledWriter(&writeBuffers, f, 256<<10)
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
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}

// syncDir makes a rename durable where the platform allows; failure to
// sync a directory is not an error worth failing a report for.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// dpnWorkbook writes one VPD's workbook for DPNReports; tests replace it
// to make one workbook fail.
var dpnWorkbook = DPNWorkbook

// File is one file for WriteFiles: its name in the folder and what writes it.
type File struct {
	Name  string
	Write func(io.Writer) error
}

// DPNReports writes one DPN report workbook per VPD of res, plus the
// national workbook when res holds more than one VPD, into dir, using up to
// workers goroutines (0 or less = GOMAXPROCS). All or nothing: every
// workbook goes to a temporary file in dir first, and they are renamed into
// place only when all succeeded; on error no new file remains. It returns
// the paths written, sorted. A result with no VPD writes nothing.
func DPNReports(dir string, res *checks.Result, meta Meta, workers int) ([]string, error) {
	if res == nil {
		return nil, fmt.Errorf("write DPN reports to %s: no result", dir)
	}
	files := make([]File, 0, len(res.VPDs)+1)
	names := map[string]string{}
	for i := range res.VPDs {
		v := &res.VPDs[i]
		name := DPNWorkbookName(v.VPD, meta.AsOf)
		if other, dup := names[name]; dup {
			return nil, fmt.Errorf("write DPN reports to %s: VPDs %s and %s both map to file %s", dir,
				filename.Quote(other), filename.Quote(v.VPD), name)
		}
		names[name] = v.VPD
		files = append(files, File{Name: name, Write: func(w io.Writer) error { return dpnWorkbook(w, res, v, meta) }})
	}
	if len(res.VPDs) > 1 {
		files = append(files, File{Name: NationalWorkbookName(meta.AsOf),
			Write: func(w io.Writer) error { return NationalWorkbook(w, res, meta) }})
	}
	return WriteFiles(dir, files, workers)
}

// syncWorkers is how many files WriteFiles syncs to disk at once. A run
// writes ~630 files whose syncs take 8–16 ms each on this project's
// machine (the journal commits them together): with 8 syncers the writers
// waited up to 0.5 s in all for a free one (median of six national runs),
// with 32 they wait ~5 ms.
const syncWorkers = 32

// WriteFiles writes files into dir, using up to workers goroutines (0 or
// less = GOMAXPROCS). All or nothing: every file goes to a temporary file in
// dir first (written, synced, mode 0600), and they are renamed into place
// only when all succeeded, then the folder is synced once; on error no new
// file remains and existing files are untouched. It returns the paths
// written, sorted.
func WriteFiles(dir string, files []File, workers int) ([]string, error) {
	b := NewBatch(dir)
	b.Add(files, workers)
	return b.Close()
}

// Batch writes files into a folder all or nothing, as WriteFiles does, in
// lots: each Add starts filling its files at once, on goroutines of its
// own, while the caller goes on (the interface run writes the files it
// knows early while it works out the rest). Close waits for them all and
// puts them in place; Abort leaves none. A Batch is for one goroutine.
type Batch struct {
	ctx     context.Context // cancelled: no further file is begun
	dir     string
	jobs    []*batchJob // every file added, in order
	seen    map[string]bool
	err     error // the first bad name, reported by Close
	failed  atomic.Bool
	writers sync.WaitGroup
	syncers sync.WaitGroup
	toSync  chan *batchJob
	done    bool
}

type batchJob struct {
	File
	f   *os.File // filled, waiting for its sync
	tmp string
	err error
}

// NewBatch starts a batch of files for dir.
func NewBatch(dir string) *Batch { return NewBatchContext(context.Background(), dir) }

// NewBatchContext starts a batch of files for dir that stops when ctx is
// cancelled: no file is begun after that, and Close fails with ctx's error
// and leaves no new file.
func NewBatchContext(ctx context.Context, dir string) *Batch {
	b := &Batch{ctx: ctx, dir: dir, seen: map[string]bool{}, toSync: make(chan *batchJob, syncWorkers)}
	// The writers only fill files; syncers wait on the disk for each
	// file's fsync, so that a writer moves on to its next file at once
	// (a run writes ~600 files: their syncs, taken in turn by the
	// writers, left a core idle for part of the time).
	for range syncWorkers {
		b.syncers.Go(func() {
			for j := range b.toSync {
				if err := syncClose(j.f); err != nil {
					j.err = err
					b.failed.Store(true)
				}
				j.f = nil
			}
		})
	}
	return b
}

// Add starts writing files on up to workers goroutines (0 or less =
// GOMAXPROCS) and returns at once. A bad or repeated name fails the batch
// (Close reports it) and writes nothing more.
func (b *Batch) Add(files []File, workers int) {
	if b.done {
		panic("report: Batch.Add after Close or Abort")
	}
	jobs := make([]*batchJob, 0, len(files))
	for _, f := range files {
		final := filepath.Join(b.dir, f.Name)
		switch {
		case f.Name == "" || f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == "..":
			b.err = cmp.Or(b.err, fmt.Errorf("write %s: invalid file name %q", final, f.Name))
		case b.seen[f.Name]:
			b.err = cmp.Or(b.err, fmt.Errorf("write %s: two files of the same name", final))
		}
		if b.err != nil {
			b.failed.Store(true)
			return
		}
		b.seen[f.Name] = true
		jobs = append(jobs, &batchJob{File: f})
	}
	b.jobs = append(b.jobs, jobs...)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	for range min(workers, len(jobs)) {
		b.writers.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) || b.failed.Load() {
					return
				}
				j := jobs[i]
				if err := b.ctx.Err(); err != nil {
					j.err = fmt.Errorf("stopped: %w", context.Cause(b.ctx))
					b.failed.Store(true)
					continue
				}
				if j.f, j.err = fillTemp(b.dir, j.Name, j.Write); j.err != nil {
					b.failed.Store(true)
					continue
				}
				j.tmp = j.f.Name()
				b.toSync <- j
			}
		})
	}
}

// wait lets every file added be filled and synced (or fail).
func (b *Batch) wait() {
	if b.done {
		return
	}
	b.done = true
	b.writers.Wait()
	close(b.toSync)
	b.syncers.Wait()
}

func (b *Batch) removeTemps() {
	for _, j := range b.jobs {
		if j.tmp != "" {
			_ = os.Remove(j.tmp)
			j.tmp = ""
		}
	}
}

// Abort waits for the files being written and removes them: no new file
// remains. After Close it does nothing.
func (b *Batch) Abort() {
	if b.done {
		return
	}
	b.wait()
	b.removeTemps()
}

// Close waits for every file added and, if all were written, renames them
// into place and syncs the folder; otherwise it removes them and returns
// the first error (a bad name first, then in the order added). It returns
// the paths written, sorted.
func (b *Batch) Close() ([]string, error) {
	if b.done {
		return nil, errors.New("report: Batch closed twice")
	}
	b.wait()
	if b.err != nil {
		b.removeTemps()
		return nil, b.err
	}
	for _, j := range b.jobs {
		if j.err != nil {
			b.removeTemps()
			return nil, fmt.Errorf("write %s: %w", filepath.Join(b.dir, j.Name), j.err)
		}
	}
	paths := make([]string, 0, len(b.jobs))
	var created []string // new files, removed again if a later rename fails
	for _, j := range b.jobs {
		final := filepath.Join(b.dir, j.Name)
		_, statErr := os.Lstat(final)
		if err := os.Rename(j.tmp, final); err != nil {
			b.removeTemps()
			for _, p := range created {
				_ = os.Remove(p)
			}
			return nil, fmt.Errorf("write %s: %w", final, err)
		}
		j.tmp = ""
		if os.IsNotExist(statErr) {
			created = append(created, final)
		}
		paths = append(paths, final)
	}
	if len(paths) > 0 {
		syncDir(b.dir)
	}
	slices.Sort(paths)
	return paths, nil
}
