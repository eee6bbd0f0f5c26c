package model

import "strings"

// cloneInto makes every string in fields, extra and issues independent of
// the loader's buffers, with one allocation for all of them: a kept record
// costs one small block instead of one per field.
func cloneInto(fields []*string, extra *[]string, issues *[]DateIssue) {
	n := 0
	for _, s := range fields {
		n += len(*s)
	}
	for _, s := range *extra {
		n += len(s)
	}
	for _, d := range *issues {
		n += len(d.Column) + len(d.Value)
	}
	var b strings.Builder
	b.Grow(n)
	type span struct{ at, end int }
	spans := make([]span, 0, len(fields)+len(*extra)+2*len(*issues))
	add := func(s string) {
		at := b.Len()
		b.WriteString(s)
		spans = append(spans, span{at, b.Len()})
	}
	for _, s := range fields {
		add(*s)
	}
	for _, s := range *extra {
		add(s)
	}
	for _, d := range *issues {
		add(d.Column)
		add(d.Value)
	}
	all := b.String()
	next := func() string { sp := spans[0]; spans = spans[1:]; return all[sp.at:sp.end] }
	for _, s := range fields {
		*s = next()
	}
	if *extra != nil {
		e := make([]string, len(*extra))
		for i := range e {
			e[i] = next()
		}
		*extra = e
	}
	if *issues != nil {
		d := make([]DateIssue, len(*issues))
		for i := range d {
			d[i] = DateIssue{Column: next(), Value: next()}
		}
		*issues = d
	}
}
