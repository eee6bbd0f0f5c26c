package main

import (
	"slices"
	"testing"
)

func TestDoubleClickArgs(t *testing.T) {
	for _, tc := range []struct {
		goos string
		args []string
		want []string
	}{
		{"windows", nil, []string{"serve"}},
		{"windows", []string{"check", "a.csv"}, []string{"check", "a.csv"}},
		{"linux", nil, nil},
		{"darwin", nil, nil},
	} {
		if got := doubleClickArgs(tc.goos, tc.args); !slices.Equal(got, tc.want) {
			t.Errorf("doubleClickArgs(%s, %q) = %q, want %q", tc.goos, tc.args, got, tc.want)
		}
	}
}
