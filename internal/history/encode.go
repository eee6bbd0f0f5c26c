package history

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

const dateLayout = "2006-01-02"

// encodeTime stores a time in UTC: a date (midnight UTC, as every date the
// toolkit reads) as YYYY-MM-DD, any other instant as RFC 3339 with
// nanoseconds, the zero time as "".
func encodeTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	u := t.UTC()
	if u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		return u.Format(dateLayout)
	}
	return u.Format(time.RFC3339Nano)
}

// decodeTime reverses encodeTime; the result is in UTC.
func decodeTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	layout := time.RFC3339Nano
	if len(s) == len(dateLayout) {
		layout = dateLayout
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
