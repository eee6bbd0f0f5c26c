//go:build !linux

package atomicfile

import "os"

// wholeSync reports that a Batch syncs its folder's file system at once
// (syncfs_linux.go); elsewhere each file is synced as it is written.
const wholeSync = false

func syncFS(string) error { return errNoSyncFS }

func startWriteback(*os.File) {}
