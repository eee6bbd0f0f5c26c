package exchange

import (
	"strconv"
	"strings"
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

// holdersKey is a type 1 key (keyOf) without its placement id: two type 1
// notifications of one post with the same holders and dates share it.
func holdersKey(k string) string {
	f := strings.SplitN(k, "|", 5)
	if len(f) < 5 {
		return k
	}
	return f[0] + "|" + f[1] + "|" + f[2] + "||" + f[4]
}
