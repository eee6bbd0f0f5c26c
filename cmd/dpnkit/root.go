package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/pipeline"
)

func newRootCmd(s *iostreams.Streams, cfg cliConfig) *cobra.Command {
	root := &cobra.Command{
		Use:   "dpnkit",
		Short: "Check ESR positions' Deanery Post Numbers before go-live on the ESR-TIS interface",
		Long: `dpnkit finds every fault that stops the ESR-TIS doctors-in-training interface
from creating a junior doctor's ESR record: duplicate and malformed Deanery Post
Numbers (DPNs), malformed position names, and the rest of the DPN report's rules.

While it loads large files dpnkit draws a progress bar on stderr (bytes read,
rows/s, time left) if stderr is a terminal. -q/--quiet turns it off, and so do
--format json and csv.

` + exitStatusHelp,
		Example: `  dpnkit check positions.csv --as-of 2026-11-25
  dpnkit report GO_504_EXP_GOF_20261125_00000001.DAT --out reports/
  dpnkit demo`,
		Version:       pipeline.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetFlagErrorFunc(flagError)
	var noColor bool
	root.PersistentFlags().BoolVar(&noColor, "no-color", false, "no colour on the terminal (also NO_COLOR=1; never when stdout is not a terminal)")
	root.PersistentFlags().BoolVarP(&s.Quiet, "quiet", "q", s.Quiet, "draw no progress bar on stderr")
	root.PersistentFlags().BoolVarP(&s.Verbose, "verbose", "v", s.Verbose, "show which column of each input fed which field")
	prof := cfg.profile
	if prof == nil {
		prof = &cpuProfile{}
	}
	root.PersistentFlags().StringVar(&prof.path, "cpuprofile", "", "write a CPU profile of the command to FILE (for make pgo)")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		quietForPrograms(cmd, s)
		s.Color = s.Color && !noColor
		return prof.start()
	}
	root.AddCommand(
		newCheckCmd(s),
		newReportCmd(s),
		newReconcileCmd(s),
		newRunCmd(s, cfg),
		newRunsCmd(s),
		newRulesCmd(s),
		newFieldsCmd(s),
		newGenCmd(s),
		newDemoCmd(s),
		newInitCmd(s),
		newServeCmd(s),
	)
	return root
}

// quietForPrograms sets s.Quiet when cmd writes for a program: --format
// json or csv on the commands whose --format picks the findings' output
// (its default is table; gen's --format, the kind of file to make, is not
// one). A progress bar would then only get in the way.
func quietForPrograms(cmd *cobra.Command, s *iostreams.Streams) {
	f := cmd.Flags().Lookup("format")
	if f != nil && f.DefValue == pipeline.FormatTable && f.Value.String() != pipeline.FormatTable {
		s.Quiet = true
	}
}

// isCobraUsage recognises the usage errors cobra makes itself.
func isCobraUsage(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

// needFiles is cobra.Args for commands that take one or more input files.
func needFiles(_ *cobra.Command, args []string) error {
	if len(args) == 0 {
		return usagef("no input file: give one or more ESR position exports (.csv, .tsv, .txt, .DAT, .xlsx)")
	}
	return nil
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

// parseAsOf reads --as-of in any date form the inputs accept
// (load.ParseDateCell: 2026-11-25, 25/11/2026, 25-NOV-2026, 25 Nov 2026,
// ...); empty means today.
func parseAsOf(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		now := time.Now()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, ok := load.ParseDateCell(s)
	if !ok {
		return time.Time{}, usagef("--as-of %q: want a date such as 2026-11-25, 25/11/2026 (day first) or 25-NOV-2026", s)
	}
	return t, nil
}

// parseFailOn reads --fail-on; 0 means never fail on findings.
func parseFailOn(s string) (checks.Severity, error) {
	if s == "none" {
		return 0, nil
	}
	sev, err := checks.ParseSeverity(s)
	if err != nil {
		return 0, usagef("--fail-on %q: want error, warning, info or none", s)
	}
	return sev, nil
}

func parseFormat(s string) (string, error) {
	switch s {
	case pipeline.FormatTable, pipeline.FormatJSON, pipeline.FormatCSV:
		return s, nil
	}
	return "", usagef("--format %q: want table, json or csv", s)
}

// parseMap reads repeated --map field=Header or FILE:field=Header flags
// (the field in lower case; checkMap checks fields and files).
func parseMap(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		key, header, ok := strings.Cut(p, "=")
		file, field := load.SplitMapKey(key)
		field, header = strings.ToLower(field), strings.TrimSpace(header)
		if !ok || field == "" || header == "" || strings.Contains(key, ":") && file == "" {
			return nil, usagef("--map %q: want field=Header or FILE:field=Header, e.g. --map dpn=\"Post Ref\"", p)
		}
		if file != "" {
			field = file + ":" + field
		}
		if _, dup := m[field]; dup {
			return nil, usagef("--map names field %q twice", field)
		}
		m[field] = header
	}
	return m, nil
}

// failOnFindings turns a finished run into errFindings when its worst
// finding reaches the threshold. With the default --fail-on error this is
// the go-live verdict (checks.BlocksGoLive): exit 1 exactly when the run is
// NOT READY, as the terminal, the JSON and the workbooks say.
func failOnFindings(res *checks.Result, failOn checks.Severity) error {
	return failOnWorst(res.Worst(), failOn)
}

// failOnWorst is errFindings when worst reaches failOn (0: never).
func failOnWorst(worst, failOn checks.Severity) error {
	if failOn != 0 && worst >= failOn {
		return fmt.Errorf("%w (worst: %s)", errFindings, worst)
	}
	return nil
}
