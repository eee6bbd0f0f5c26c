package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"dpnkit/fixtures"
)

// makePGO writes the profile of the profile-guided build to out
// (cmd/dpnkit/default.pgo, which every go build of the command uses): the
// CPU profiles of dpnkit's national steps (check, report, reconcile with
// the exception workbook, and two days of run on a fresh history), each
// written by the hidden --cpuprofile flag and merged by go tool pprof.
func makePGO(bin, dir, out string, asOf time.Time) error {
	if err := ensureNational(bin, dir, asOf); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "dpnkit-pgo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(dir, "positions_national.csv")
	run := func(day int, placements string) []string {
		return runArgs(asOf.AddDate(0, 0, day), file, filepath.Join(dir, placements), filepath.Join(dir, fixtures.PeopleFile),
			filepath.Join(tmp, "pgo.db"), filepath.Join(tmp, "runs"))
	}
	day := asOf.Format("2006-01-02")
	steps := [][]string{
		checkArgs(day, file),
		reportArgs(day, file, filepath.Join(tmp, "report")),
		reconcileArgs(day, file, filepath.Join(dir, fixtures.PlacementsFile), filepath.Join(tmp, "reconcile")),
		run(0, fixtures.PlacementsFile),
		run(1, fixtures.Day2PlacementsFile),
	}
	profiles := []string{"-proto"}
	for i, args := range steps {
		p := filepath.Join(tmp, fmt.Sprintf("%d-%s.prof", i, args[0]))
		if _, err := child("dpnkit "+args[0], bin, append(args, "--cpuprofile", p)...); err != nil {
			return err
		}
		profiles = append(profiles, p)
	}
	merged, err := exec.Command("go", append([]string{"tool", "pprof"}, profiles...)...).Output()
	if err != nil {
		return fmt.Errorf("go tool pprof: %w", err)
	}
	// The new profile replaces the old one in place, all or nothing.
	part := out + ".tmp"
	if err := os.WriteFile(part, merged, 0o644); err != nil {
		return err
	}
	if err := os.Rename(part, out); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes) from %d profiles\n", out, len(merged), len(steps))
	return nil
}
