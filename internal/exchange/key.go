package exchange

import (
	"strconv"
	"time"
)

// keyOf builds a notification's key: type | VPD | deanery number |
// placement id | current holder | next holder | old start | new start |
// old end | new end, a holder as placement id@start-end and a date as
// YYYYMMDD (empty when zero). It is appended into one buffer rather than
// formatted: a first national run keys about 73,000 notifications.
func keyOf(n Notification) string {
	b := make([]byte, 0, 96)
	b = strconv.AppendInt(b, int64(n.Type), 10)
	for _, s := range [...]string{n.VPD, n.DeaneryNumber, n.PlacementID} {
		b = append(append(b, '|'), s...)
	}
	for _, h := range [...]*Holder{n.Current, n.Next} {
		b = append(b, '|')
		if h != nil {
			b = append(append(b, h.PlacementID...), '@')
			b = append(appendKeyDate(b, h.ProjectedStart), '-')
			b = appendKeyDate(b, h.ProjectedEnd)
		}
	}
	for _, t := range [...]time.Time{n.OldStart, n.NewStart, n.OldEnd, n.NewEnd} {
		b = appendKeyDate(append(b, '|'), t)
	}
	return string(b)
}

// appendKeyDate appends t as YYYYMMDD, or nothing for the zero time.
func appendKeyDate(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.AppendFormat(b, "20060102")
}
