package main

import (
	"reflect"
	"testing"
)

func TestSpreadFileFlags(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"reconcile", "--positions", "a.csv", "b.csv", "--placements", "p.csv", "q.csv", "--as-of", "2026-11-25"},
			[]string{"reconcile", "--positions", "a.csv", "--positions", "b.csv", "--placements", "p.csv", "--placements", "q.csv", "--as-of", "2026-11-25"}},
		{[]string{"reconcile", "--positions", "a.csv", "--placements", "p.csv"},
			[]string{"reconcile", "--positions", "a.csv", "--placements", "p.csv"}},
		{[]string{"check", "a.csv", "b.csv"}, []string{"check", "a.csv", "b.csv"}},
		{[]string{"reconcile", "--positions=a.csv", "b.csv"}, []string{"reconcile", "--positions=a.csv", "b.csv"}},
	} {
		if got := spreadFileFlags(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("spreadFileFlags(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}
