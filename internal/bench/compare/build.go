package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// git runs git in dir and returns its trimmed standard output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// resolve turns a revision into its commit hash.
func resolve(root, rev string) (string, error) {
	return git(root, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
}

// defaultBase is the merge-base of HEAD with main, or HEAD~1 when that is
// HEAD itself (on main, or main not yet moved past it) or there is no main.
func defaultBase(root string) (string, error) {
	head, err := resolve(root, "HEAD")
	if err != nil {
		return "", err
	}
	if mb, err := git(root, "merge-base", "HEAD", "main"); err == nil && mb != head {
		return mb, nil
	}
	return resolve(root, "HEAD~1")
}

// buildCommit builds cmd/dpnkit of commit into bin, from a copy of the
// commit's tree (git archive) extracted under tmp and removed afterwards:
// the repository and its worktrees are not touched.
func buildCommit(root, commit, bin, tmp string) error {
	src, err := os.MkdirTemp(tmp, "src-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(src)
	cmd := exec.Command("git", "archive", "--format=tar", commit)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	errX := untar(out, src)
	if err := errors.Join(errX, cmd.Wait()); err != nil {
		return fmt.Errorf("git archive %s: %w %s", commit, err, strings.TrimSpace(stderr.String()))
	}
	return goBuild(src, bin)
}

// goBuild builds ./cmd/dpnkit of the module at dir into bin.
func goBuild(dir, bin string) error {
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", abs, "./cmd/dpnkit")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build in %s: %w", dir, err)
	}
	return nil
}

// untar extracts a git archive's directories and regular files into dir.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			continue // git archive writes none; the pax header has no path
		}
		path := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(path, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeFrom(tr, path, os.FileMode(h.Mode).Perm()); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(h.Linkname, path); err != nil {
				return err
			}
		}
	}
}

func writeFrom(r io.Reader, path string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
