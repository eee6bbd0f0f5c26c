package main

import (
	"os"

	"github.com/spf13/cobra"
)

// passwordEnv is the environment variable read for the workbook password
// when --password is not given (a password on the command line is seen by
// every user of the machine in the process list).
const passwordEnv = "DPNKIT_PASSWORD"

// personalFlags are the personal-data flags of the commands that write
// reports: --redact and --password.
type personalFlags struct {
	redact   bool
	password string
}

// register adds the flags to cmd, and a check of them that runs before
// cmd's own PreRun or PreRunE (so register is called once cmd is built).
func (p *personalFlags) register(cmd *cobra.Command) {
	preRun, preRunE := cmd.PreRun, cmd.PreRunE
	cmd.PreRun = nil
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if err := p.check(c); err != nil {
			return err
		}
		if preRunE != nil {
			return preRunE(c, args)
		}
		if preRun != nil {
			preRun(c, args)
		}
		return nil
	}
	fl := cmd.Flags()
	fl.BoolVar(&p.redact, "redact", false,
		"mask personal data in every output: names to initials; GMC and NI numbers, dates of birth, e-mail, address and sensitive details to ***")
	fl.StringVar(&p.password, "password", "",
		"encrypt every .xlsx written with this password (or set "+passwordEnv+"); CSV, JSON and text outputs are not encrypted")
}

// check refuses an empty password: `--password "$PW"` with PW unset, or
// DPNKIT_PASSWORD set to nothing, would otherwise write the workbooks
// unencrypted without a word.
func (p *personalFlags) check(cmd *cobra.Command) error {
	if cmd.Flags().Changed("password") {
		if p.password == "" {
			return usagef("--password is empty (an unset variable in a script?): give the password, or leave --password out to write unencrypted workbooks")
		}
		return nil
	}
	if v, set := os.LookupEnv(passwordEnv); set && v == "" {
		return usagef("%s is set but empty: set it to the password, or unset it to write unencrypted workbooks", passwordEnv)
	}
	return nil
}

// Redact reports whether --redact was given.
func (p *personalFlags) Redact() bool { return p.redact }

// Password is --password, else $DPNKIT_PASSWORD, else "" (no encryption).
func (p *personalFlags) Password() string {
	if p.password != "" {
		return p.password
	}
	return os.Getenv(passwordEnv)
}
