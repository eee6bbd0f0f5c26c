package interchange

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/gocarina/gocsv"

	"dpnkit/internal/exchange"
)

// The csv tags mean what they mean to gocsv: for every record type,
// gocsv.MarshalCSV writes the bytes this package writes.
func TestLayoutIsGocsvs(t *testing.T) {
	r := dncResult()
	ctx := exchange.NewDNCContext(r)
	var dnc []exchange.DNCRecord
	for i := range r.Notifications {
		dnc = append(dnc, ctx.Record(&r.Notifications[i], "KSS"))
	}
	var app []APPRecord
	for _, a := range appFile().Records {
		app = append(app, appRecord(&a, keep))
	}
	for name, recs := range map[string]any{"POR": porRecords(), "APP": app, "APC": apcFile().Records, "DNC": dnc} {
		var ours, theirs bytes.Buffer
		var err error
		switch recs := recs.(type) {
		case []exchange.POR:
			err = writeAll(&ours, recs)
		case []APPRecord:
			err = writeAll(&ours, recs)
		case []exchange.APC:
			err = writeAll(&ours, recs)
		case []exchange.DNCRecord:
			err = writeAll(&ours, recs)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := gocsv.MarshalCSV(recs, gocsv.NewSafeCSVWriter(csv.NewWriter(&theirs))); err != nil {
			t.Fatal(err)
		}
		if ours.String() != theirs.String() {
			t.Errorf("%s: ours\n%s\ngocsv's\n%s", name, ours.String(), theirs.String())
		}
		if lines := strings.Count(ours.String(), "\n"); lines != 1+reflect.ValueOf(recs).Len() {
			t.Errorf("%s: %d lines for %d records", name, lines, reflect.ValueOf(recs).Len())
		}
	}
}

// A field without a csv tag, or of a kind the files do not hold, is a
// programming error caught when the layout is read.
func TestLayoutRefuses(t *testing.T) {
	type untagged struct {
		A string `csv:"a"`
		B string
	}
	type float struct {
		A float64 `csv:"a"`
	}
	type ignored struct {
		A string `csv:"a"`
		C []int  `csv:"-"`
	}
	for name, typ := range map[string]reflect.Type{"untagged": reflect.TypeFor[untagged](), "float": reflect.TypeFor[float]()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: layoutOf did not panic", name)
				}
			}()
			layoutOf(typ)
		}()
	}
	if l := layoutOf(reflect.TypeFor[ignored]()); strings.Join(l.header, ",") != "a" {
		t.Errorf("header %q, want only a", l.header)
	}
}
