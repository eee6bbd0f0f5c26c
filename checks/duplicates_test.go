package checks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// dupFixture: VPD 504 has one duplicate by case and spacing, one by a
// leading tab, and a DPN shared with an end-dated and an eliminated
// position (not duplicates); VPD 505 shares KSS/A/1/2 with 504 (cross-VPD,
// not a duplicate) and has a group of three.
func dupFixture() []model.Position {
	mk := func(vpd, num, dpn string, row int) model.Position {
		p := pos(num, num+"|x|y|z", dpn)
		p.VPD, p.Row = vpd, row
		return p
	}
	p3 := mk("504", "300", "KSS/A/1/2", 4)
	p3.EffectiveTo = asOf.Add(-24 * time.Hour)
	p4 := mk("504", "400", "KSS/B/1/2", 5)
	p4.HiringStatus = "Eliminated"
	return []model.Position{
		mk("505", "802", "KSS/D/1/2", 13),
		mk("504", "200", "kss/a/1/2 ", 3),
		mk("504", "100", "KSS/A/1/2", 2),
		p3, p4,
		mk("504", "500", "KSS/B/1/2", 6),
		mk("504", "700", "KSS/C/1/2", 8),
		mk("504", "600", "\tKSS/C/1/2", 7),
		mk("505", "100", "KSS/A/1/2", 10),
		mk("505", "800", "KSS/D/1/2", 11),
		mk("505", "801", "KSS/D/1/2", 12),
	}
}

func TestDuplicates(t *testing.T) {
	res := Run(dupFixture(), nil, opts)
	if len(res.VPDs) != 2 || res.VPDs[0].VPD != "504" || res.VPDs[1].VPD != "505" {
		t.Fatalf("VPDs = %+v", res.VPDs)
	}
	type group struct {
		dpn     string
		numbers string
	}
	tests := []struct {
		vpd       string
		positions string // numbers of VPDResult.Positions, in order
		groups    []group
		findings  map[string]string // position number -> "others" text of its dpn.duplicate message
	}{
		{"504", "100 200 500 600 700",
			[]group{{"KSS/A/1/2", "100 200"}, {"KSS/C/1/2", "600 700"}},
			map[string]string{"100": "position 200 in VPD 504", "200": "position 100 in", "600": "position 700 in", "700": "position 600 in"}},
		{"505", "100 800 801 802",
			[]group{{"KSS/D/1/2", "800 801 802"}},
			map[string]string{"800": "positions 801 and 802 in VPD 505", "801": "positions 800 and 802", "802": "positions 800 and 801"}},
	}
	for i, tt := range tests {
		v := res.VPDs[i]
		var nums []string
		for _, p := range v.Positions {
			nums = append(nums, p.Number)
		}
		if got := strings.Join(nums, " "); got != tt.positions {
			t.Errorf("VPD %s positions = %s, want %s", tt.vpd, got, tt.positions)
		}
		if len(v.Duplicates) != len(tt.groups) {
			t.Fatalf("VPD %s duplicates = %+v, want %+v", tt.vpd, v.Duplicates, tt.groups)
		}
		for j, g := range v.Duplicates {
			var gn []string
			for _, k := range g.Positions {
				gn = append(gn, v.Positions[k].Number)
			}
			if g.DPN != tt.groups[j].dpn || strings.Join(gn, " ") != tt.groups[j].numbers {
				t.Errorf("VPD %s group %d = %s %v, want %+v", tt.vpd, j, g.DPN, gn, tt.groups[j])
			}
		}
		got := map[string]string{}
		for _, f := range v.Findings {
			if f.Rule == RuleDPNDuplicate {
				if _, dup := got[f.PositionNumber]; dup {
					t.Errorf("position %s has two duplicate findings", f.PositionNumber)
				}
				got[f.PositionNumber] = f.Message
			}
		}
		if len(got) != len(tt.findings) {
			t.Errorf("VPD %s duplicate findings on %v, want %v", tt.vpd, got, tt.findings)
		}
		for num, want := range tt.findings {
			if !strings.Contains(got[num], want) {
				t.Errorf("VPD %s position %s message %q does not contain %q", tt.vpd, num, got[num], want)
			}
		}
		if v.DuplicateDPNs != len(tt.groups) {
			t.Errorf("VPD %s DuplicateDPNs = %d, want %d", tt.vpd, v.DuplicateDPNs, len(tt.groups))
		}
		if v.Ready {
			t.Errorf("VPD %s is ready with duplicates", tt.vpd)
		}
	}
	if res.VPDs[0].PositionsInDuplicates != 4 || res.VPDs[1].PositionsInDuplicates != 3 {
		t.Errorf("PositionsInDuplicates = %d, %d, want 4, 3", res.VPDs[0].PositionsInDuplicates, res.VPDs[1].PositionsInDuplicates)
	}
}

func TestCrossVPD(t *testing.T) {
	res := Run(dupFixture(), nil, opts)
	got := map[string]string{}
	for _, f := range findingsOf(res, RuleDPNCrossVPD) {
		got[f.VPD+"/"+f.PositionNumber] = f.Message
	}
	want := map[string]string{
		"504/100": "also active in VPD 505",
		"504/200": "also active in VPD 505",
		"505/100": "also active in VPD 504",
	}
	if len(got) != len(want) {
		t.Errorf("cross-VPD findings on %v, want %v", got, want)
	}
	for k, w := range want {
		if !strings.Contains(got[k], w) {
			t.Errorf("%s: message %q does not contain %q", k, got[k], w)
		}
	}

	// Three VPDs: each finding names the other two.
	ps := []model.Position{pos("1", "1|x|y|z", "KSS/Z/1/2"), pos("2", "2|x|y|z", "KSS/Z/1/2"), pos("3", "3|x|y|z", "kss/z/1/2")}
	ps[0].VPD, ps[1].VPD, ps[2].VPD = "123", "504", "999"
	res = Run(ps, nil, opts)
	fs := findingsOf(res, RuleDPNCrossVPD)
	if len(fs) != 3 {
		t.Fatalf("got %d cross-VPD findings, want 3", len(fs))
	}
	if !strings.Contains(fs[1].Message, "VPDs 123, 999") || fs[1].VPD != "504" {
		t.Errorf("504's finding: %+v", fs[1])
	}
	if d := findingsOf(res, RuleDPNDuplicate); len(d) != 0 {
		t.Errorf("a DPN in three VPDs is not a duplicate: %+v", d)
	}
}

// TestDuplicateGroupOfAnySize: a group bigger than maxListed + 1 gets
// messages that name its size, the first maxListed other positions and how
// many more, whatever its size; one absurd position number is cut.
func TestDuplicateGroupOfAnySize(t *testing.T) {
	const n = 10000
	ps := make([]model.Position, n)
	for i := range ps {
		num := fmt.Sprintf("%05d", i+1)
		ps[i] = pos(num, num+"|x|y|z", "TBC/A/1/2")
		ps[i].Row = i + 2
	}
	ps[0].Number = "00000" + strings.Repeat("9", 1<<20) // sorts first: named in almost every message, cut
	res := Run(ps, nil, opts)
	fs := findingsOf(res, RuleDPNDuplicate)
	if len(fs) != n {
		t.Fatalf("%d findings, want %d", len(fs), n)
	}
	if g := res.VPDs[0].Duplicates; len(g) != 1 || len(g[0].Positions) != n {
		t.Fatalf("groups = %d, want one of %d", len(g), n)
	}
	cut := "00000" + strings.Repeat("9", maxLabel-6) + "…"
	for _, f := range fs {
		if len(f.Message) > 500 {
			t.Fatalf("message of %s is %d bytes: %.200q", f.PositionNumber, len(f.Message), f.Message)
		}
		if !strings.Contains(f.Message, "9,999 other active positions") || !strings.Contains(f.Message, "and 9,996 more") ||
			!strings.Contains(f.Message, "10,000 positions share it") {
			t.Fatalf("message %q does not give the group's size", f.Message)
		}
	}
	// Position 00002 (second by number) names the first and the next two.
	for _, f := range fs {
		if f.PositionNumber == "00002" && !strings.Contains(f.Message, ": "+cut+", 00003, 00004 and 9,996 more") {
			t.Errorf("00002: %q", f.Message)
		}
		if f.PositionNumber == "00003" && !strings.Contains(f.Message, ": "+cut+", 00002, 00004 and 9,996 more") {
			t.Errorf("00003: %q", f.Message)
		}
	}

	// Four positions: every other one named, no count.
	res = Run(ps[1:5], nil, opts)
	for _, f := range findingsOf(res, RuleDPNDuplicate) {
		if f.PositionNumber == "00003" && !strings.Contains(f.Message, "also on active positions 00002, 00004 and 00005 in VPD") {
			t.Errorf("group of 4: %q", f.Message)
		}
	}
}

// TestCrossVPDManyVPDs: a DPN active in many VPDs names at most maxListed
// of the others and counts the rest.
func TestCrossVPDManyVPDs(t *testing.T) {
	var ps []model.Position
	for i := range 200 {
		p := pos("1", "1|x|y|z", "KSS/Z/1/2")
		p.VPD = fmt.Sprintf("%03d", i+100)
		ps = append(ps, p)
	}
	fs := findingsOf(Run(ps, nil, opts), RuleDPNCrossVPD)
	if len(fs) != 200 {
		t.Fatalf("%d findings, want 200", len(fs))
	}
	for _, f := range fs {
		var first []string // the first three other VPDs
		for _, v := range []string{"100", "101", "102", "103"} {
			if v != f.VPD && len(first) < 3 {
				first = append(first, v)
			}
		}
		want := "also active in 199 other VPDs: " + strings.Join(first, ", ") + " and 196 more."
		if !strings.Contains(f.Message, want) {
			t.Errorf("%s: %q does not contain %q", f.VPD, f.Message, want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 9997: "9,997", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
