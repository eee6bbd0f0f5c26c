package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The duplicate case (issue: "Linear at scale"): dupPositions active
// positions of one VPD that all carry the same valid DPN, as when a trust
// gives every post one placeholder DPN. Every position is then one
// dpn.duplicate finding of one group of dupPositions. Targets: check
// --format json, check --format csv and report each under dupMaxWall and
// dupMaxPeak.
const (
	dupPositions = 200000
	dupDPN       = "KSS/RJZ01/030/STR/001"
	dupMaxWall   = 10 * time.Second
	dupMaxPeak   = 300 << 20
)

// dupMeasure is one step of the duplicate case.
type dupMeasure struct {
	measure       // the child's wall, peak RSS and user + system time
	out     int64 // bytes written to stdout, or of the workbook for report
}

// runDup generates the duplicate case into dir (once) and measures the
// three steps, best of n each, printing one line per step.
func runDup(bin, dir string, n int) error {
	file := filepath.Join(dir, "positions_dup200k.csv")
	if _, err := os.Stat(file); err != nil {
		if err := writeDupPositions(file); err != nil {
			return fmt.Errorf("generate the duplicate case: %w", err)
		}
	}
	out, err := os.MkdirTemp("", "dpnkit-bench-dup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	common := []string{"--fail-on", "none", "--as-of", "2026-11-25"}
	steps := []struct {
		name string
		args []string
	}{
		{"check --format json", append([]string{"check", "--format", "json", file}, common...)},
		{"check --format csv", append([]string{"check", "--format", "csv", file}, common...)},
		{"report (workbook, --format json)", append([]string{"report", "--format", "json", "--out", out, file}, common...)},
	}
	fmt.Printf("\n%d positions sharing one DPN (%s), one VPD: one duplicate group of every position\n", dupPositions, dupDPN)
	fmt.Printf("%-38s %10s %10s %10s %12s %s\n", "step", "wall", "cpu", "peak MiB", "output MB", "target (< 10 s, < 300 MiB)")
	for _, s := range steps {
		var b dupMeasure
		for i := 0; i < n; i++ {
			m, err := dupChild(s.name, bin, s.args...)
			if err != nil {
				return err
			}
			if i == 0 || m.wall < b.wall {
				b = m
			}
		}
		if s.args[0] == "report" {
			if st, err := os.Stat(filepath.Join(out, "DPN_Report_504_20261125.xlsx")); err == nil {
				b.out = st.Size()
			}
		}
		fmt.Printf("%-38s %10s %10s %10.1f %12.1f %s\n", "dpnkit "+s.name, b.wall.Round(time.Millisecond),
			b.cpu.Round(time.Millisecond), float64(b.peakRSS)/(1<<20), float64(b.out)/1e6,
			verdict(b.wall < dupMaxWall && b.peakRSS < dupMaxPeak))
	}
	return nil
}

// dupChild is childTo, counting the child's stdout.
func dupChild(name, bin string, args ...string) (dupMeasure, error) {
	var cw countWriter
	m, err := childTo(&cw, name, bin, args...)
	if err != nil {
		return dupMeasure{}, err
	}
	return dupMeasure{measure: m, out: cw.n}, nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// writeDupPositions writes the duplicate case as a position CSV: VPD 504,
// position numbers 10000000 on, valid names, every DPN dupDPN, Medical
// and Dental, open-ended.
func writeDupPositions(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, "VPD,Position Number,Position Name,Deanery Post Number,Managing Deanery Body,Job Staff Group,Effective From Date\n")
	for i := range dupPositions {
		num := strconv.Itoa(10000000 + i)
		fmt.Fprintf(w, "504,%s,%s|Specialty Registrar|123|Cardiology,%s,KSS,Medical and Dental,2020-08-05\n", num, num, dupDPN)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
