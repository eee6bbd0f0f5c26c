package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/gocarina/gocsv"

	"dpnkit/internal/exchange"
)

// dncChunk is how many DNC records are made and written at a time: a
// first national run's DNF files hold ~90,000 records of ~560 bytes, made
// one chunk at a time instead of all at once.
const dncChunk = 512

// DNCFile writes a notification file (a DNF or a DNC) as RFC 4180 CSV: a
// header of exchange.DNCRecord's csv tags, then one record per
// notification of f (indexes into notes, a run's Result.Notifications), in
// file order, made by ctx (exchange.NewDNCContext of the same result).
// The file holds personal data by design; with meta.Redact names become
// initials and GMC numbers and e-mail addresses Masked (see Meta).
func DNCFile(w io.Writer, f exchange.NotificationFile, notes []exchange.Notification, ctx *exchange.DNCContext, meta Meta) error {
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w))
	recs := make([]exchange.DNCRecord, 0, min(len(f.Notes), dncChunk))
	for start := 0; start == 0 || start < len(f.Notes); start += dncChunk {
		recs = recs[:0]
		for _, x := range f.Notes[start:min(start+dncChunk, len(f.Notes))] {
			if int(x) < 0 || int(x) >= len(notes) {
				return fmt.Errorf("write %s file %s: record %d is not a notification of the run", f.Type, f.Name, x)
			}
			r := ctx.Record(&notes[x], f.Deanery)
			redactDNC(&r, meta)
			recs = append(recs, r)
		}
		var err error
		if start == 0 {
			err = gocsv.MarshalCSV(recs, cw)
		} else {
			err = gocsv.MarshalCSVWithoutHeaders(recs, cw)
		}
		if err != nil {
			return fmt.Errorf("write %s file %s: %w", f.Type, f.Name, err)
		}
	}
	return nil
}

// redactDNC masks a DNC record's personal fields when meta.Redact.
func redactDNC(r *exchange.DNCRecord, meta Meta) {
	for _, s := range []*string{&r.CurrentTraineeLastName, &r.CurrentTraineeFirstName, &r.NextAppointmentTraineeLastName,
		&r.NextAppointmentTraineeFirstName, &r.WithdrawnTraineeLastName, &r.WithdrawnTraineeFirstName,
		&r.ReplacementTraineeLastName, &r.ReplacementTraineeFirstName} {
		*s = personal(kindName, *s, meta)
	}
	for _, s := range []*string{&r.CurrentTraineeGmcNumber, &r.NextAppointmentTraineeGmcNumber,
		&r.WithdrawnTraineeGmcNumber, &r.ReplacementTraineeGmcNumber} {
		*s = personal(kindGMC, *s, meta)
	}
	r.NextAppointmentTraineeEmailAddress = personal(kindSecret, r.NextAppointmentTraineeEmailAddress, meta)
}
