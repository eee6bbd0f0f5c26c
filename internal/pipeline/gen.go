package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
)

// GenOptions configure `dpnkit gen`.
type GenOptions struct {
	Out     string
	Fixture fixtures.Options
}

// Gen writes synthetic ESR position data and its expected statistics.
func Gen(ctx context.Context, s *iostreams.Streams, opts GenOptions) (*fixtures.Manifest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := fixtures.Generate(opts.Out, opts.Fixture)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	var files []string
	for _, g := range [][]string{m.Files, m.PlacementFiles, m.PeopleFiles, m.Day2Files} {
		files = append(files, g...)
	}
	for _, f := range files {
		fmt.Fprintf(s.Out, "wrote %s\n", f)
	}
	fmt.Fprintf(s.Out, "wrote %s\n", m.ExpectedPath)
	return m, nil
}

// DemoOptions configure `dpnkit demo`.
type DemoOptions struct {
	Out  string
	AsOf time.Time
}

// Demo generates a small multi-trust sample with TIS placements, runs the
// DPN report and the placement reconciliation on it, so a new user sees
// every tab, the national summary and the HEE exception report in one
// command.
func Demo(ctx context.Context, s *iostreams.Streams, opts DemoOptions) (*fixtures.Manifest, []string, error) {
	m, err := fixtures.Generate(opts.Out, fixtures.Options{
		Scale: fixtures.Trust, Rows: 30000, VPDs: 3, Placements: 4000, People: true, Day2: true, Seed: 1, AsOf: opts.AsOf})
	if err != nil {
		return nil, nil, fmt.Errorf("generate sample data: %w", err)
	}
	fmt.Fprintf(s.Out, "sample ESR position data: %v\nsample TIS placements: %v\n\n", m.Files, m.PlacementFiles)
	_, paths, err := Check(ctx, s, CheckOptions{Files: m.Files, AsOf: opts.AsOf, Format: FormatTable, OutDir: opts.Out, Top: 10})
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(s.Out, "\n")
	_, more, err := Reconcile(ctx, s, ReconcileOptions{Positions: m.Files, Placements: m.PlacementFiles,
		AsOf: opts.AsOf, Format: FormatTable, OutDir: opts.Out, Top: 5})
	if err != nil {
		return nil, nil, err
	}
	db := filepath.Join(opts.Out, "dpnkit.db")
	if err := os.Remove(db); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("start the demo's run history afresh: %w", err)
	}
	runs := filepath.Join(opts.Out, "runs")
	for day, placements := range [][]string{m.PlacementFiles, m.Day2Files} {
		asOf := opts.AsOf.AddDate(0, 0, day)
		fmt.Fprintf(s.Out, "\nInterface run, day %d (%s):\n", day+1, asOf.Format("2006-01-02"))
		if day == 1 && m.Day2 != nil {
			describeDay2(s, m.Day2)
		}
		if _, err := Run(ctx, s, RunOptions{Positions: m.Files, Placements: placements, People: m.PeopleFiles,
			AsOf: asOf, DB: db, Out: runs, Format: FormatTable}); err != nil {
			return nil, nil, err
		}
	}
	fmt.Fprintf(s.Out, "\nOpen the workbooks above in Excel: each DPN report's Summary tab shows the go-live verdict;\n"+
		"the Placement_ESR_Check workbook lists the placements that will not reach ESR, with the DPN each most likely meant;\n"+
		"each interface run wrote into a folder of its own in %s, named <as-of>_<NN> (printed above; running the demo\n"+
		"again adds new ones): the interface files, each trust's MSO notifications and MEDROT; 'dpnkit runs --db %s'\n"+
		"lists the runs of this demo's history (started afresh by each demo).\n", runs, db)
	return m, append(paths, more...), nil
}

// describeDay2 says what the demo's second TIS export changed and what the
// run on it should notify (expected_day2.json).
func describeDay2(s *iostreams.Streams, e *fixtures.ExpectedDay2) {
	ev, n := e.Events, e.Notifications
	fmt.Fprintf(s.Out, "TIS's export of day 2 (%s) deletes %s (%d sent to ESR yesterday, %d from the post over 40, "+
		"%d current holders', %d on a host/lead employer post, %d starting 13 weeks or more ahead), changes the dates of %s (%d starts, "+
		"%d ends, %d current holders' ends, %d on a host/lead post, %d starting 13 weeks or more ahead), moves %s "+
		"to a post in another trust, and adds %s on posts that had none, %s and %s of an ESR DPN.\n"+
		"By TIS's rules the run should raise %s (type 2), %s (type 4), each with a type 1, and %s (type 5; "+
		"none for a typo).\n",
		fixtures.Day2PlacementsFile, plural(len(e.Withdrawn), "placement"), ev.DeletedSent, ev.DeletedBucket, ev.DeletedCurrent,
		ev.DeletedHostLead, ev.DeletedLate, plural(len(e.DateChanged), "placement"), ev.StartMoved, ev.EndMoved,
		ev.EndMovedCurrent, ev.RedatedHostLead, ev.RedatedLate, plural(ev.Rotations, "trainee"),
		plural(ev.NewPlacements, "placement"), plural(ev.NewPosts, "new post"), plural(ev.TypoPosts, "typo"),
		plural(n.Type2, "withdrawal"), plural(n.Type4, "date change"), plural(n.Type5, "new post notice"))
}

// plural is "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
