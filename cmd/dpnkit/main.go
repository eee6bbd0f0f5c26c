// Command dpnkit checks ESR position exports for Deanery Post Number faults
// before a trust goes live on the ESR-TIS doctors-in-training interface, and
// writes the multi-tab DPN report. See `dpnkit --help`.
package main

import (
	"os"
	"runtime"

	"dpnkit/internal/iostreams"
)

func main() { os.Exit(execute(doubleClickArgs(runtime.GOOS, os.Args[1:]), iostreams.System())) }
