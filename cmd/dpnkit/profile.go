package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"

	"dpnkit/internal/atomicfile"
)

// cpuProfile is the hidden --cpuprofile flag: a CPU profile of one
// command, from which the profile-guided build's cmd/dpnkit/default.pgo is
// made (make pgo, docs/performance.md). It holds no personal data: only
// where the program spent its time.
type cpuProfile struct {
	path string   // the flag; "" = no profile
	tmp  *os.File // being written, in path's folder
}

// start begins the profile into a temporary file beside path; a path that
// exists is refused, never replaced.
func (p *cpuProfile) start() error {
	if p.path == "" {
		return nil
	}
	if _, err := os.Lstat(p.path); err == nil {
		return fmt.Errorf("--cpuprofile %s: the file exists; it is not replaced", p.path)
	}
	f, err := os.CreateTemp(filepath.Dir(p.path), "."+filepath.Base(p.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	p.tmp = f
	return nil
}

// stop ends the profile and puts it at path (hard-linked by
// atomicfile.LinkNew, so that a file made there meanwhile is not replaced
// either).
func (p *cpuProfile) stop() error {
	f := p.tmp
	if f == nil {
		return nil
	}
	p.tmp = nil
	pprof.StopCPUProfile()
	err := errors.Join(f.Sync(), f.Close())
	if err == nil {
		err = atomicfile.LinkNew(f.Name(), p.path)
	} else {
		_ = os.Remove(f.Name())
	}
	if err != nil {
		return fmt.Errorf("--cpuprofile %s: %w", p.path, err)
	}
	return nil
}
