package exchange

import (
	"fmt"
	"time"
)

func keyOf(n Notification) string {
	d := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("20060102")
	}
	h := func(x *Holder) string {
		if x == nil {
			return ""
		}
		return x.PlacementID + "@" + d(x.ProjectedStart) + "-" + d(x.ProjectedEnd)
	}
	return fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s|%s|%s|%s", n.Type, n.VPD, n.DeaneryNumber, n.PlacementID,
		h(n.Current), h(n.Next), d(n.OldStart), d(n.NewStart), d(n.OldEnd), d(n.NewEnd))
}
