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

func (p *personalFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&p.redact, "redact", false,
		"mask personal data in every output: names to initials; GMC and NI numbers, dates of birth, e-mail, address and sensitive details to ***")
	fl.StringVar(&p.password, "password", "",
		"encrypt every .xlsx written with this password (or set "+passwordEnv+"); CSV, JSON and text outputs are not encrypted")
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
