package atomicfile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// syncWorkers is how many files a Batch syncs to disk at once. A run
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
	b := NewBatch(context.Background(), dir)
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

// NewBatch starts a batch of files for dir that stops when ctx is
// cancelled: no file is begun after that, and Close fails with ctx's
// cause and leaves no new file.
func NewBatch(ctx context.Context, dir string) *Batch {
	b := &Batch{ctx: ctx, dir: dir, seen: map[string]bool{}, toSync: make(chan *batchJob, syncWorkers)}
	if wholeSync {
		return b // the file system is synced once, by Close
	}
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
		panic("atomicfile: Batch.Add after Close or Abort")
	}
	jobs := make([]*batchJob, 0, len(files))
	for _, f := range files {
		if err := checkName(b.dir, f.Name); err != nil {
			b.err = cmp.Or(b.err, err)
		} else if b.seen[f.Name] {
			b.err = cmp.Or(b.err, fmt.Errorf("write %s: two files of the same name", filepath.Join(b.dir, f.Name)))
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
				b.fill(jobs[i])
			}
		})
	}
}

// fill writes one file of the batch to its temporary file and hands it to
// the syncers, unless the batch was stopped.
func (b *Batch) fill(j *batchJob) {
	if err := b.ctx.Err(); err != nil {
		j.err = fmt.Errorf("stopped: %w", context.Cause(b.ctx))
		b.failed.Store(true)
		return
	}
	if j.f, j.err = fillTemp(b.dir, j.Name, j.Write); j.err != nil {
		b.failed.Store(true)
		return
	}
	j.tmp = j.f.Name()
	if wholeSync {
		startWriteback(j.f)
		j.err = closeFile(j.f) // synced with the rest (Close)
		j.f = nil
		if j.err != nil {
			b.failed.Store(true)
		}
		return
	}
	b.toSync <- j
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
		return nil, errors.New("atomicfile: Batch closed twice")
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
	if wholeSync && len(b.jobs) > 0 {
		if err := b.syncAll(); err != nil {
			b.removeTemps()
			return nil, fmt.Errorf("write %s: %w", b.dir, err)
		}
	}
	return b.rename()
}

// errNoSyncFS: the system has no syncfs for the folder's file system.
var errNoSyncFS = errors.New("no syncfs")

// syncAll syncs the batch's files with one syncfs of their file system
// or, where the system has no syncfs for it, each file in turn. A write
// error syncfs reports is the batch's error.
func (b *Batch) syncAll() error {
	tmps := make([]string, len(b.jobs))
	for i, j := range b.jobs {
		tmps[i] = j.tmp
	}
	return syncFiles(b.dir, tmps, syncFS)
}

// syncFiles syncs the files at paths, all in dir: with syncfs, dir's
// whole file system at once, or each file when syncfs says the system
// has none (errNoSyncFS). syncfs is a parameter so that the fallback is
// tested where the system has one.
func syncFiles(dir string, paths []string, syncfs func(string) error) error {
	if err := syncfs(dir); !errors.Is(err, errNoSyncFS) {
		return err
	}
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		if err := syncClose(f); err != nil {
			return err
		}
	}
	return nil
}

// rename puts every temporary file in place, in the order added; if one
// fails, the files it had created are removed again (a file that replaced
// an existing one cannot be undone) and the rest of the temporary files
// too.
func (b *Batch) rename() ([]string, error) {
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
		SyncDir(b.dir)
	}
	slices.Sort(paths)
	return paths, nil
}
