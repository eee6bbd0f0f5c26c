package history

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func checkFindings(vpd string, n int, tag string) []CheckFinding {
	out := make([]CheckFinding, n)
	for i := range out {
		out[i] = CheckFinding{Rule: "dpn.parts", Severity: "error", PositionNumber: fmt.Sprintf("%08d", i),
			Value: fmt.Sprintf("KSS/%s/%d", tag, i), Message: "DPN has 3 parts", PositionName: fmt.Sprintf("%d|ST3|N1L|x", i),
			DPN: fmt.Sprintf("KSS/%s/%d", tag, i), File: "data/positions_" + vpd + ".csv", Row: i + 2}
	}
	return out
}

func recordT(t *testing.T, s *Store, c Check, vpds map[string][]CheckFinding) int64 {
	t.Helper()
	id, err := s.RecordCheck(context.Background(), c, checkVPDs(vpds))
	if err != nil {
		t.Fatalf("RecordCheck: %v", err)
	}
	return id
}

func checkVPDs(vpds map[string][]CheckFinding) []CheckVPD {
	var out []CheckVPD
	for _, v := range sortedKeys(vpds) {
		out = append(out, CheckVPD{VPD: v, Findings: slices.Values(vpds[v])})
	}
	return out
}

func lastT(t *testing.T, s *Store, vpds ...string) map[string]LastCheck {
	t.Helper()
	m, err := s.LastChecks(context.Background(), vpds)
	if err != nil {
		t.Fatalf("LastChecks: %v", err)
	}
	return m
}

func countRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestCheckRoundTrip(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
	if got := lastT(t, s, "504", "RXH"); len(got) != 0 {
		t.Fatalf("a new history has last checks: %+v", got)
	}
	odd := []CheckFinding{
		{Rule: "dpn.whitespace", Severity: "warning", PositionNumber: "1", Value: " KSS/A/1/2\t", Message: "spaces",
			PositionName: "1|Siân|N1L|", DPN: " KSS/A/1/2\t", File: "a.csv", Row: 2},
		{Rule: "dpn.chars", Severity: "error", PositionNumber: "2", Value: "KSS/A\n/1/3", Message: "linefeed", File: "b.DAT", Row: 7},
		{Rule: "input.repaired", Severity: "info", Value: "x", File: "b.DAT", Row: 7},
		{Rule: "dpn.chars", Severity: "error", PositionNumber: "2", Value: "KSS/A\n/1/3", Message: "linefeed", File: "b.DAT", Row: 7},
	}
	first := Check{AsOf: day(2026, 11, 25), Checked: time.Date(2026, 11, 25, 14, 2, 3, 4, time.FixedZone("BST", 3600))}
	id := recordT(t, s, first, map[string][]CheckFinding{"504": odd, "RXH": checkFindings("RXH", 3, "a"), "EMPTY": nil})
	if id != 1 {
		t.Errorf("first check id %d, want 1", id)
	}
	got := lastT(t, s, "504", "RXH", "EMPTY", "NEVER", "504")
	if len(got) != 3 {
		t.Fatalf("last checks of %d VPDs, want 3 (NEVER was never checked): %v", len(got), slices.Sorted(maps.Keys(got)))
	}
	want := Check{ID: 1, AsOf: first.AsOf, Checked: first.Checked.UTC()}
	for vpd, fs := range map[string][]CheckFinding{"504": odd, "RXH": checkFindings("RXH", 3, "a"), "EMPTY": {}} {
		if got[vpd].Check != want {
			t.Errorf("VPD %s: check %+v, want %+v", vpd, got[vpd].Check, want)
		}
		if !reflect.DeepEqual(got[vpd].Findings, fs) {
			t.Errorf("VPD %s: findings\n got  %+v\n want %+v", vpd, got[vpd].Findings, fs)
		}
	}
	if got["EMPTY"].Findings == nil {
		t.Error("a VPD checked with no findings must come back with an empty list, not nil")
	}
	if n := countRows(t, s, "SELECT sum(findings) FROM check_vpds"); n != 7 {
		t.Errorf("%d findings counted, want 7", n)
	}
	integrityOK(t, s)
}

// TestCheckKeepsLatestFindings records two checks of one VPD and one of
// another: each VPD's latest check is the one read back, and only it keeps
// its findings.
func TestCheckKeepsLatestFindings(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
	recordT(t, s, Check{AsOf: day(2026, 11, 1)}, map[string][]CheckFinding{"504": checkFindings("504", 5, "a"),
		"RXH": checkFindings("RXH", 4, "a")})
	id := recordT(t, s, Check{AsOf: day(2026, 11, 8)}, map[string][]CheckFinding{"504": checkFindings("504", 2, "b")})
	if id != 2 {
		t.Errorf("second check id %d, want 2", id)
	}
	got := lastT(t, s, "504", "RXH")
	if got["504"].ID != 2 || !got["504"].AsOf.Equal(day(2026, 11, 8)) ||
		!reflect.DeepEqual(got["504"].Findings, checkFindings("504", 2, "b")) {
		t.Errorf("VPD 504: got check %+v with %d findings, want check 2 of 2026-11-08 with its 2", got["504"].Check, len(got["504"].Findings))
	}
	if got["RXH"].ID != 1 || !reflect.DeepEqual(got["RXH"].Findings, checkFindings("RXH", 4, "a")) {
		t.Errorf("VPD RXH: got check %d with %d findings, want check 1 with its 4", got["RXH"].ID, len(got["RXH"].Findings))
	}
	for _, tc := range []struct {
		vpd      string
		checkID  int
		findings int  // counted
		kept     bool // the findings themselves
	}{{"504", 1, 5, false}, {"504", 2, 2, true}, {"RXH", 1, 4, true}} {
		q := "SELECT findings, data IS NOT NULL FROM check_vpds WHERE vpd = ? AND check_id = ?"
		var n int
		var kept bool
		if err := s.db.QueryRow(q, tc.vpd, tc.checkID).Scan(&n, &kept); err != nil {
			t.Fatal(err)
		}
		if n != tc.findings || kept != tc.kept {
			t.Errorf("check %d of VPD %s: %d findings, kept %v; want %d, %v", tc.checkID, tc.vpd, n, kept, tc.findings, tc.kept)
		}
	}
	integrityOK(t, s)
}

// TestRecordCheckAllOrNothing: a refused or cancelled check records nothing.
func TestRecordCheckAllOrNothing(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
	recordT(t, s, Check{AsOf: day(2026, 11, 1)}, map[string][]CheckFinding{"504": checkFindings("504", 3, "a")})
	ctx := context.Background()

	if _, err := s.RecordCheck(ctx, Check{}, checkVPDs(map[string][]CheckFinding{"504": nil})); err == nil ||
		!strings.Contains(err.Error(), "no as-of date") {
		t.Errorf("a check without an as-of date: %v", err)
	}
	twice := []CheckVPD{{VPD: "504", Findings: slices.Values(checkFindings("504", 1, "b"))}, {VPD: "504"}}
	if _, err := s.RecordCheck(ctx, Check{AsOf: day(2026, 11, 2)}, twice); err == nil || !strings.Contains(err.Error(), `VPD "504" given twice`) {
		t.Errorf("a VPD given twice: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	stop := func(yield func(CheckFinding) bool) {
		for _, f := range checkFindings("504", 10, "c") {
			if f.Row == 5 {
				cancel() // half-way through the findings
			}
			if !yield(f) {
				return
			}
		}
	}
	if _, err := s.RecordCheck(cctx, Check{AsOf: day(2026, 11, 3)}, []CheckVPD{{VPD: "504", Findings: stop}}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled check: %v, want context.Canceled", err)
	}
	got := lastT(t, s, "504")
	if got["504"].ID != 1 || !reflect.DeepEqual(got["504"].Findings, checkFindings("504", 3, "a")) {
		t.Errorf("after refused checks the last check is %d with %d findings, want 1 with 3", got["504"].ID, len(got["504"].Findings))
	}
	if n := countRows(t, s, "SELECT count(*) FROM checks"); n != 1 {
		t.Errorf("%d checks recorded, want 1", n)
	}
}

// TestChecksAndRunsShareTheFile: a check leaves the run history alone and a
// run leaves the checks alone.
func TestChecksAndRunsShareTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	s := openT(t, path)
	commitT(t, s, run(day(2026, 11, 25)), richState(3, "a"))
	recordT(t, s, Check{AsOf: day(2026, 11, 25)}, map[string][]CheckFinding{"504": checkFindings("504", 2, "a")})
	commitT(t, s, run(day(2026, 11, 26)), richState(4, "b"))
	if got := stateT(t, s); !reflect.DeepEqual(got, richState(4, "b")) {
		t.Error("a check changed the run state")
	}
	if rs := runsT(t, s); len(rs) != 2 || rs[1].ID != 2 {
		t.Errorf("runs after a check: %d, want 2", len(rs))
	}
	if got := lastT(t, s, "504"); got["504"].ID != 1 || len(got["504"].Findings) != 2 {
		t.Errorf("a run changed the checks: %+v", got["504"].Check)
	}
}

// TestRecordCheckUnderRunLock: with the run lock held the check is part of
// the run's transaction.
func TestRecordCheckUnderRunLock(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "dpnkit.db"))
	ctx := context.Background()
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	recordT(t, s, Check{AsOf: day(2026, 11, 25)}, map[string][]CheckFinding{"504": checkFindings("504", 2, "a")})
	if got := lastT(t, s, "504"); got["504"].ID != 1 {
		t.Errorf("inside the lock the check is not visible: %+v", got)
	}
	releaseLock(t, s)
	if got := lastT(t, s, "504"); len(got) != 0 {
		t.Errorf("a check recorded under a lock that ended without a commit stayed: %+v", got)
	}
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	recordT(t, s, Check{AsOf: day(2026, 11, 25)}, map[string][]CheckFinding{"504": checkFindings("504", 2, "a")})
	commitT(t, s, run(day(2026, 11, 25)), richState(1, "a"))
	if got := lastT(t, s, "504"); len(got["504"].Findings) != 2 {
		t.Errorf("a check recorded under the lock was not committed with the run: %+v", got)
	}
}

// TestRecordCheckBusy: while a run holds the lock, a check waits the busy
// timeout and fails with ErrBusy, recording nothing.
func TestRecordCheckBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpnkit.db")
	ctx := context.Background()
	runner := openT(t, path)
	if err := runner.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	checker, err := open(ctx, path, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer checker.Close()
	start := time.Now()
	_, err = checker.RecordCheck(ctx, Check{AsOf: day(2026, 11, 25)}, checkVPDs(map[string][]CheckFinding{"504": checkFindings("504", 1, "a")}))
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), path) {
		t.Errorf("RecordCheck beside a locked run: %v, want ErrBusy naming the file", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("gave up after %v, before the busy timeout", d)
	}
	// Reading the last checks is not blocked.
	if got, err := checker.LastChecks(ctx, []string{"504"}); err != nil || len(got) != 0 {
		t.Errorf("LastChecks beside a locked run: %v, %v", got, err)
	}
	releaseLock(t, runner)
	if _, err := checker.RecordCheck(ctx, Check{AsOf: day(2026, 11, 25)}, nil); err != nil {
		t.Errorf("RecordCheck once the run has finished: %v", err)
	}
}

// TestFindingsCodec round-trips findings through the stored encoding and
// requires an error, never a panic or a wrong list, from a damaged blob.
func TestFindingsCodec(t *testing.T) {
	fs := append(checkFindings("504", 3, "a"),
		CheckFinding{Rule: "dpn.chars", Severity: "error", Value: strings.Repeat("é\t\n\x00", 100), File: "b.DAT", Row: 1 << 31},
		CheckFinding{File: "a.csv"}, // every string empty
		CheckFinding{Rule: "input.repaired", Severity: "info", File: "data/positions_504.csv", Row: 9})
	var enc findingsEncoder
	for round := range 2 { // the encoder is reused
		enc.reset()
		for i := range fs {
			enc.add(&fs[i])
		}
		blob := slices.Clone(enc.bytes())
		got, err := decodeFindings(blob, len(fs))
		if err != nil || !reflect.DeepEqual(got, fs) {
			t.Fatalf("round %d: decoded %+v, %v\nwant %+v", round, got, err, fs)
		}
		for cut := range len(blob) {
			if got, err := decodeFindings(blob[:cut], len(fs)); err == nil {
				t.Fatalf("a blob cut to %d of %d bytes decoded to %d findings", cut, len(blob), len(got))
			}
		}
		if _, err := decodeFindings(blob, len(fs)+1); err == nil {
			t.Error("a blob with fewer findings than counted decoded")
		}
		bad := slices.Clone(blob)
		bad[0] = 9
		if _, err := decodeFindings(bad, len(fs)); err == nil || !strings.Contains(err.Error(), "unknown format") {
			t.Errorf("unknown format: %v", err)
		}
	}
	if got, err := decodeFindings(nil, 0); err != nil || got == nil || len(got) != 0 {
		t.Errorf("no findings: %v, %v", got, err)
	}
	if _, err := decodeFindings(nil, 3); err == nil {
		t.Error("dropped findings read as none")
	}
}

// BenchmarkRecordCheck records and reads back a national check's findings
// (100k over 200 VPDs) on top of the previous one.
func BenchmarkRecordCheck(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "dpnkit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	vpds := map[string][]CheckFinding{}
	var names []string
	for i := range 200 {
		v := fmt.Sprintf("%03d", i)
		vpds[v] = checkFindings(v, 500, "a")
		names = append(names, v)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.LastChecks(ctx, names); err != nil {
			b.Fatal(err)
		}
		if _, err := s.RecordCheck(ctx, Check{AsOf: day(2026, 11, 25)}, checkVPDs(vpds)); err != nil {
			b.Fatal(err)
		}
	}
}
