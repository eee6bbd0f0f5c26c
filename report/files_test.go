package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
)

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestDPNReports(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *checks.Result
		want []string
	}{
		{"one VPD, no national", singleResult(), []string{"DPN_Report_504_20261125.xlsx"}},
		{"national", nationalResult(), []string{"DPN_Report_100_20261125.xlsx", "DPN_Report_123_20261125.xlsx",
			"DPN_Report_504_20261125.xlsx", "DPN_Report_777_20261125.xlsx", "DPN_Report_999_20261125.xlsx",
			"DPN_Report_National_20261125.xlsx"}},
		{"no VPD", &checks.Result{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			paths, err := DPNReports(dir, tc.res, testMeta(), 3)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tc.want {
				want = append(want, filepath.Join(dir, n))
			}
			if len(paths) != len(want) || (len(want) > 0 && !slices.Equal(paths, want)) {
				t.Errorf("paths = %q, want %q", paths, want)
			}
			if got := dirNames(t, dir); !slices.Equal(got, tc.want) {
				t.Errorf("dir holds %q, want %q (no temporary files)", got, tc.want)
			}
			for _, p := range paths {
				fi, err := os.Stat(p)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v (%v), want 0600", p, fi.Mode().Perm(), err)
				}
				f, err := excelize.OpenFile(p)
				if err != nil {
					t.Errorf("%s does not open: %v", p, err)
					continue
				}
				if got := f.GetSheetList()[0]; got != TabSummary {
					t.Errorf("%s: first tab %q", p, got)
				}
				_ = f.Close()
			}
		})
	}
}

func TestDPNReportsFailure(t *testing.T) {
	t.Run("missing dir", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "nope")
		paths, err := DPNReports(dir, nationalResult(), testMeta(), 2)
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("err = %v, want an error naming %s", err, dir)
		}
		if paths != nil {
			t.Errorf("paths = %q, want none", paths)
		}
		if got := dirNames(t, parent); len(got) != 0 {
			t.Errorf("parent holds %q", got)
		}
	})
	t.Run("dir is a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := DPNReports(file, singleResult(), testMeta(), 1); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("err = %v, want an error naming %s", err, file)
		}
	})
	t.Run("one workbook fails", func(t *testing.T) {
		old := dpnWorkbook
		t.Cleanup(func() { dpnWorkbook = old })
		dpnWorkbook = func(w io.Writer, res *checks.Result, v *checks.VPDResult, meta Meta) error {
			if v.VPD == "777" {
				return fmt.Errorf("cannot write VPD 777")
			}
			return old(w, res, v, meta)
		}
		dir := t.TempDir()
		keep := filepath.Join(dir, "DPN_Report_504_20261125.xlsx")
		if err := os.WriteFile(keep, []byte("previous report"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 4, 0} {
			_, err := DPNReports(dir, nationalResult(), testMeta(), workers)
			if err == nil || !strings.Contains(err.Error(), "DPN_Report_777_20261125.xlsx") {
				t.Errorf("workers %d: err = %v, want the failing file named", workers, err)
			}
			if got := dirNames(t, dir); !slices.Equal(got, []string{"DPN_Report_504_20261125.xlsx"}) {
				t.Errorf("workers %d: dir holds %q, want only the previous report", workers, got)
			}
			if b, _ := os.ReadFile(keep); string(b) != "previous report" {
				t.Errorf("workers %d: previous report replaced", workers)
			}
		}
	})
	t.Run("VPDs that clean to one name", func(t *testing.T) {
		// "5/4" and "5_4" both clean to "5_4": each keeps a report of its
		// own, told apart by the FNV-1a hash of the raw value.
		res := &checks.Result{VPDs: []checks.VPDResult{readyVPD("5/4"), readyVPD("5_4")}}
		dir := t.TempDir()
		if _, err := DPNReports(dir, res, testMeta(), 1); err != nil {
			t.Fatal(err)
		}
		want := []string{"DPN_Report_5_4_40d0138b_20261125.xlsx", "DPN_Report_5_4_c1e56f1b_20261125.xlsx",
			"DPN_Report_National_20261125.xlsx"}
		if got := dirNames(t, dir); !slices.Equal(got, want) {
			t.Errorf("dir holds %q, want %q", got, want)
		}
	})
}
