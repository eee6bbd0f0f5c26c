package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dpnkit/fixtures"
	"dpnkit/internal/exchange"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/model"
)

// TestGeneratedDay2Notifications runs the interface on the generator's two
// days (one trust, and three trusts with host/lead employer pairs and
// trainees moving between them) and requires the day-2 run to raise
// exactly the notifications expected_day2.json counts: types 2 and 4 per
// deleted and re-dated placement, each with its type 1, type 5 for the new
// posts and none for the typos; and none of types 2, 4 and 5 on day 1 (a
// first run, no post-created column). It also follows each rotating
// trainee in the MEDROT of both trusts.
func TestGeneratedDay2Notifications(t *testing.T) {
	for _, o := range []fixtures.Options{
		{Scale: fixtures.Trust, Rows: 6000, Seed: 3, Placements: 1200, People: true, Day2: true},
		{Scale: fixtures.Trust, Rows: 9000, VPDs: 3, Seed: 7, Placements: 1500, People: true, Day2: true},
	} {
		o.AsOf = asOf
		t.Run(strconv.Itoa(max(1, o.VPDs))+"vpd", func(t *testing.T) {
			dir := t.TempDir()
			m, err := fixtures.Generate(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			e := m.Day2
			db := filepath.Join(dir, "h.db")
			day1 := runOnce(t, m, m.PlacementFiles, db, filepath.Join(dir, "d1"), 0, false)
			if n := notesByType(day1); n[exchange.NotifyWithdrawn]+n[exchange.NotifyDateChange]+n[exchange.NotifyNewPost] != 0 {
				t.Errorf("day 1 notifications by type %v: a first run raises only type 1", n)
			}
			day2 := runOnce(t, m, m.Day2Files, db, filepath.Join(dir, "d2"), 1, false)
			n := notesByType(day2)
			got := fixtures.Day2Notifications{Type2: n[exchange.NotifyWithdrawn], Type4: n[exchange.NotifyDateChange],
				Type5: n[exchange.NotifyNewPost], Type1WithChanges: withTheirType1(t, day2)}
			if got != e.Notifications {
				t.Errorf("day-2 notifications %+v, expected_day2.json %+v (events %+v)", got, e.Notifications, e.Events)
			}
			if e.Notifications.Type2 == 0 || e.Notifications.Type4 == 0 || e.Notifications.Type5 == 0 {
				t.Errorf("expected %+v: too little planted to test", e.Notifications)
			}
			newPost := map[string]bool{}
			for _, x := range day2.Notifications {
				if x.Type == exchange.NotifyNewPost {
					newPost[x.DeaneryNumber] = true
				}
			}
			for _, p := range e.NewPosts {
				if !newPost[p.NPN] {
					t.Errorf("no type 5 for new post %s", p.NPN)
				}
			}
			for _, p := range e.TypoPosts {
				if newPost[p.NPN] {
					t.Errorf("type 5 for %s, a typo of %s", p.NPN, p.Meant)
				}
			}
			if o.VPDs > 1 && (len(e.Rotations) == 0 || e.Events.DeletedHostLead+e.Events.RedatedHostLead == 0) {
				t.Errorf("events %+v: want rotations and host/lead changes across trusts", e.Events)
			}
			checkRotationMEDROT(t, m, day2)
		})
	}
}

func notesByType(r *exchange.Result) map[int]int {
	n := map[int]int{}
	for _, x := range r.Notifications {
		n[x.Type]++
	}
	return n
}

// withTheirType1 counts the type 2 and 4 notifications that come with a
// type 1 about the same placement on the same position (TIS sends both).
func withTheirType1(t *testing.T, r *exchange.Result) int {
	t.Helper()
	type key struct{ vpd, dpn, id string }
	ones := map[key]bool{}
	for _, x := range r.Notifications {
		if x.Type == exchange.NotifyHolders {
			ones[key{x.VPD, x.DeaneryNumber, x.PlacementID}] = true
		}
	}
	n := 0
	for _, x := range r.Notifications {
		if x.Type != exchange.NotifyWithdrawn && x.Type != exchange.NotifyDateChange {
			continue
		}
		if ones[key{x.VPD, x.DeaneryNumber, x.PlacementID}] {
			n++
		} else {
			t.Errorf("type %d about placement %s (VPD %s) has no type 1", x.Type, x.PlacementID, x.VPD)
		}
	}
	return n
}

// checkRotationMEDROT: a trainee rotating between trusts shows in both
// trusts' MEDROT: in the trust they leave as current holder whose "Next
// Placement" is the new placement's site, in the trust they join as next
// holder whose "Current Placement" is the site they leave.
func checkRotationMEDROT(t *testing.T, m *fixtures.Manifest, r *exchange.Result) {
	t.Helper()
	site := placementSites(t, m.Day2Files[0])
	for _, rot := range m.Day2.Rotations {
		cur, next := strconv.Itoa(rot.Current), strconv.Itoa(rot.Next)
		var left, joined bool
		for _, row := range r.MEDROT {
			if row.VPD == rot.FromVPD && row.Current != nil && row.Current.PlacementID == cur {
				left = true
				if row.Current.NextPlacement != site[next] {
					t.Errorf("VPD %s: %s's next placement %q, want %q", rot.FromVPD, cur, row.Current.NextPlacement, site[next])
				}
			}
			if row.VPD == rot.ToVPD && row.Next != nil && row.Next.PlacementID == next {
				joined = true
				if row.Next.CurrentPlacement != site[cur] {
					t.Errorf("VPD %s: %s's current placement %q, want %q", rot.ToVPD, next, row.Next.CurrentPlacement, site[cur])
				}
			}
		}
		if !left || !joined {
			t.Errorf("rotation %+v: current holder in %s's MEDROT %v, next holder in %s's %v",
				rot, rot.FromVPD, left, rot.ToVPD, joined)
		}
	}
}

// placementSites maps each placement id of a placement CSV to its Site.
func placementSites(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	id, site := -1, -1
	for i, h := range recs[0] {
		switch h {
		case "Placement TIS ID":
			id = i
		case "Site":
			site = i
		}
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		out[r[id]] = model.TrimWhite(r[site])
	}
	return out
}

// TestDemoDay2SaysWhatTheRunDoes runs the demo and requires its account
// of day 2's changes to announce the numbers of withdrawals, date changes
// and new posts that day 2's run then reports.
func TestDemoDay2SaysWhatTheRunDoes(t *testing.T) {
	s, out, _ := iostreams.Test()
	if _, _, err := Demo(context.Background(), s, DemoOptions{Out: t.TempDir(), AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	said := regexp.MustCompile(`should raise (\d+) withdrawals? \(type 2\), (\d+) date changes? \(type 4\), ` +
		`each with a type 1, and (\d+) new post notices? \(type 5`).FindStringSubmatch(text)
	day2 := text[strings.Index(text, "Interface run, day 2"):]
	did := regexp.MustCompile(`Applicant\(s\) Withdrawn (\d+), 4 Change to Projected Hire/End Date (\d+), ` +
		`5 New Training Post Created (\d+)\.`).FindStringSubmatch(day2)
	if said == nil || did == nil {
		t.Fatalf("the demo does not say what day 2 should raise (%v) or what it raised (%v)", said, did)
	}
	if !reflect.DeepEqual(said[1:], did[1:]) || said[1] == "0" || said[2] == "0" || said[3] == "0" {
		t.Errorf("the demo announces types 2, 4, 5 = %v; day 2's run raised %v", said[1:], did[1:])
	}
	for _, w := range []string{"positions_1657.csv", "positions_703.csv", "positions_838.csv",
		"moves 2 trainees to a post in another trust", "on a host/lead employer post"} {
		if !strings.Contains(text, w) {
			t.Errorf("the demo's output lacks %q", w)
		}
	}
}
