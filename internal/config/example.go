package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"dpnkit/internal/atomicfile"
)

// Example is the commented dpnkit.toml 'dpnkit init' writes. Lines
// starting "# " are prose; lines starting "#" and a setting are examples
// to switch on by removing the "#". As written it changes nothing.
const Example = `# dpnkit.toml: settings dpnkit reads on every run in this folder (or with
# --config FILE). Flags given on the command line win over this file.
# The format is TOML: https://toml.io. Remove the "#" before a setting to use it.

# Exit status 1 when a finding is at least: error, warning, info or none.
fail-on = "error"

# Column headers for fields, per file-name pattern ("*" and "?" wildcards,
# matched against the file's name). "*" is every file. 'dpnkit fields' lists
# the fields. The same as --map FILE:field=Header on every run.
#[columns."*"]
#dpn = "Post Ref"
#[columns."positions_505*.csv"]
#managing_deanery_body = "Owner"
#position_number = "Pos No"

# Further local office names (Managing Deanery Body values): CODE = "Name",
# or a list of names. The same as a --local-offices file.
#[local-offices]
#KSS = ["KSS Local Office", "Kent Surrey Sussex LO"]

# The trust of each VPD code, named beside the code in the workbooks.
#[trusts]
#"504" = "Example Teaching Hospitals NHS Foundation Trust"

# Rules switched off ("off") or given another severity ("error", "warning",
# "info"). 'dpnkit rules' lists the rules. A rule switched off is in no
# output, and the statistics say it was off.
#[rules]
#"dpn.non-medical" = "off"
#"dpn.lowercase" = "error"

# Accepted exceptions: findings the trust has reviewed and accepts until a
# date. A matching finding is counted as "accepted" and listed on its own
# (the workbooks' Accepted tab, the JSON "accepted" list); it does not count
# towards the verdict or the exit status. After the until date it is a
# finding again. rule, position, reason, who and until are needed; vpd and
# value (the finding's value, exactly) narrow the match, and with value a
# changed value is a finding again. For reconcile's placement.* rules,
# name the TIS placement instead of the position: placement = "1716009".
#[[accept]]
#rule = "dpn.non-medical"
#vpd = "504"
#position = "10508064"
#value = "KSS/RJZ01/030/STR/001"
#reason = "Clinical fellow post funded by the deanery; agreed with the local office"
#who = "A. Person, Medical Staffing"
#until = 2027-03-31
`

// WriteExample writes Example to path (mode 0600), never over an existing
// file: the example goes to a temporary file beside path, which is linked
// into place only when path does not exist (atomicfile.CreateFile).
func WriteExample(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return existsError(path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, err)
	}
	_, err := atomicfile.CreateFile(filepath.Dir(path), filepath.Base(path), func(w io.Writer) error {
		_, err := io.WriteString(w, Example)
		return err
	})
	if errors.Is(err, fs.ErrExist) {
		return existsError(path)
	}
	return err
}

func existsError(path string) error {
	return fmt.Errorf("%s already exists: not replaced (edit it, or give another name: dpnkit init other.toml)", path)
}
