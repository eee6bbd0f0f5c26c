package interchange

import (
	"fmt"
	"io"

	"dpnkit/internal/exchange"
	"dpnkit/internal/redact"
)

// WriteAPC writes an APC file: CSV with exchange.APC's layout, one row per
// confirmation message in the order given. The applicant's name, placement
// and VPD are not APC fields and are not written; pol masks the coded
// value a WARNING quotes ("... The value *** will be ignored.").
func WriteAPC(w io.Writer, f exchange.APCFile, pol redact.Policy) error {
	c := newCSVRecords[exchange.APC](w)
	err := c.header()
	for i := 0; err == nil && i < len(f.Records); i++ {
		r := f.Records[i]
		r.MessageText = pol.APCMessage(r.MessageText)
		err = c.write(&r)
	}
	if err == nil {
		err = c.flush()
	}
	if err != nil {
		return fmt.Errorf("write apc file %s: %w", f.Name, err)
	}
	return nil
}
