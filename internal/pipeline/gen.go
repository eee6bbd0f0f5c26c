package pipeline

import (
	"context"
	"fmt"
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
	for _, f := range append(m.Files, m.PlacementFiles...) {
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

// Demo generates a small multi-trust sample and runs the DPN report on it,
// so a new user sees every tab and the national summary in one command.
func Demo(ctx context.Context, s *iostreams.Streams, opts DemoOptions) (*fixtures.Manifest, []string, error) {
	m, err := fixtures.Generate(opts.Out, fixtures.Options{
		Scale: fixtures.Trust, Rows: 30000, VPDs: 3, Seed: 1, AsOf: opts.AsOf})
	if err != nil {
		return nil, nil, fmt.Errorf("generate sample data: %w", err)
	}
	fmt.Fprintf(s.Out, "sample ESR position data: %v\n\n", m.Files)
	_, paths, err := Check(ctx, s, CheckOptions{Files: m.Files, AsOf: opts.AsOf, Format: FormatTable, OutDir: opts.Out})
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(s.Out, "\nOpen the workbooks above in Excel; the Summary tab shows the go-live verdict.\n")
	return m, paths, nil
}
