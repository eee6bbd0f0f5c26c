package pipeline

import (
	"fmt"
	"os"

	"dpnkit/internal/model"
)

// readLocalOffices reads a user's local office names (--local-offices) on
// top of the built-in table; "" gives nil, the built-in table.
func readLocalOffices(path string) (*model.LocalOffices, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("local offices: %w", err)
	}
	defer f.Close()
	l, err := model.ReadLocalOffices(f)
	if err != nil {
		return nil, fmt.Errorf("local offices %s: %w", path, err)
	}
	return l, nil
}

// interfaceFileName is the file name of an interface file named base
// (exchange.FileName, DE_<LO>_<TYPE>_<YYYYMMDD>_<seq>): base.DAT as the
// real interface names it, or with csvNames base.<ext> for its content
// ("csv", "jsonl"), for users who open the files in a spreadsheet.
func interfaceFileName(base, ext string, csvNames bool) string {
	if csvNames {
		return base + "." + ext
	}
	return base + ".DAT"
}
