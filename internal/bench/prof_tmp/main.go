package main

import (
	"context"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/load"
	"dpnkit/report"
)

func main() {
	f, _ := os.Create(os.Args[2])
	pprof.StartCPUProfile(f)
	for range 4 {
		r := checks.NewRunner(checks.Options{AsOf: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
		in, err := load.Positions(context.Background(), []string{os.Args[1]}, load.Options{Counter: r}, r.Add)
		if err != nil {
			panic(err)
		}
		report.JSON(io.Discard, r.Finish(in), report.Meta{})
	}
	pprof.StopCPUProfile()
}
