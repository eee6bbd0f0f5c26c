package interchange

import (
	"fmt"
	"io"

	"dpnkit/internal/exchange"
	"dpnkit/internal/redact"
)

// WriteDNC writes a notification file, a DNF or a DNC: CSV with
// exchange.DNCRecord's layout, one record per notification of f (indexes
// into notes, a run's Result.Notifications), in file order, made by ctx
// (exchange.NewDNCContext of the same result) one at a time: a first
// national run's DNF files hold ~90,000 records. The file names trainees by
// design; pol masks their names, GMC numbers and e-mail addresses.
func WriteDNC(w io.Writer, f exchange.NotificationFile, notes []exchange.Notification, ctx *exchange.DNCContext,
	pol redact.Policy) error {
	c := newCSVRecords[exchange.DNCRecord](w)
	err := c.header()
	for i := 0; err == nil && i < len(f.Notes); i++ {
		x := f.Notes[i]
		if int(x) < 0 || int(x) >= len(notes) {
			return fmt.Errorf("write %s file %s: record %d is not a notification of the run", f.Type, f.Name, x)
		}
		r := ctx.Record(&notes[x], f.Deanery)
		maskDNC(&r, pol)
		err = c.write(&r)
	}
	if err == nil {
		err = c.flush()
	}
	if err != nil {
		return fmt.Errorf("write %s file %s: %w", f.Type, f.Name, err)
	}
	return nil
}

// maskDNC masks a DNC record's personal fields by pol.
func maskDNC(r *exchange.DNCRecord, pol redact.Policy) {
	if !pol.Mask {
		return
	}
	for _, s := range []*string{&r.CurrentTraineeLastName, &r.CurrentTraineeFirstName, &r.NextAppointmentTraineeLastName,
		&r.NextAppointmentTraineeFirstName, &r.WithdrawnTraineeLastName, &r.WithdrawnTraineeFirstName,
		&r.ReplacementTraineeLastName, &r.ReplacementTraineeFirstName} {
		*s = pol.Name(*s)
	}
	for _, s := range []*string{&r.CurrentTraineeGmcNumber, &r.NextAppointmentTraineeGmcNumber,
		&r.WithdrawnTraineeGmcNumber, &r.ReplacementTraineeGmcNumber} {
		*s = pol.GMC(*s)
	}
	r.NextAppointmentTraineeEmailAddress = pol.Secret(r.NextAppointmentTraineeEmailAddress)
}
