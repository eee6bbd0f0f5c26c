package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"dpnkit/internal/config"
	"dpnkit/internal/iostreams"
)

func newInitCmd(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented example dpnkit.toml: column mappings, local offices, trusts, rules, accepted exceptions",
		Long: `init writes a commented example configuration to FILE (default dpnkit.toml in
the working folder, which check, report, reconcile and run read; --config FILE
names another). It never replaces an existing file. As written the example
changes nothing: remove the "#" before a setting to use it.

The format is described in docs/configuration.md.`,
		Example: `  dpnkit init
  dpnkit init trust-504.toml && dpnkit check positions.csv --config trust-504.toml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("init takes at most one file name, got %q", args)
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			path := config.FileName
			if len(args) == 1 {
				path = args[0]
			}
			if err := config.WriteExample(path); err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "wrote %s: an example configuration; remove the \"#\" before a setting to use it\n", path)
			return nil
		},
	}
}
