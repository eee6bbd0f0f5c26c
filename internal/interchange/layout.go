package interchange

import (
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
)

// layout is a record type's CSV layout, read from its csv struct tags:
// the header, and for each column the field it is written from.
type layout struct {
	header  []string
	columns []column
}

// column is one field of a record: where it is (reflect.Value.FieldByIndex)
// and whether it is an int (written in decimal) rather than a string.
type column struct {
	index []int
	isInt bool
}

// layoutOf reads the layout of struct type t. Every exported field must
// carry a csv tag: a column name, or "-" to leave it out; a struct field's
// columns are named "<its tag>.<the inner tag>". Only string, int and
// struct fields are allowed: any other is a programming error and panics.
func layoutOf(t reflect.Type) layout {
	var l layout
	l.add(t, "", nil)
	return l
}

func (l *layout) add(t reflect.Type, prefix string, index []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := f.Tag.Lookup("csv")
		if !f.IsExported() || name == "-" {
			continue
		}
		if !ok || name == "" {
			panic(fmt.Sprintf("interchange: %s.%s has no csv tag", t, f.Name))
		}
		at := append(slices.Clip(index), i)
		switch f.Type.Kind() {
		case reflect.Struct:
			l.add(f.Type, prefix+name+".", at)
		case reflect.String, reflect.Int:
			l.header = append(l.header, prefix+name)
			l.columns = append(l.columns, column{index: at, isInt: f.Type.Kind() == reflect.Int})
		default:
			panic(fmt.Sprintf("interchange: %s.%s is a %s: only string, int and struct fields are written", t, f.Name, f.Type))
		}
	}
}

// csvRecords writes records of type T as RFC 4180 CSV: the header of T's
// layout, then a row per record. One row is reused: the csv writer keeps
// none.
type csvRecords[T any] struct {
	cw     *csv.Writer
	layout layout
	row    []string
}

func newCSVRecords[T any](w io.Writer) *csvRecords[T] {
	l := layoutOf(reflect.TypeFor[T]())
	return &csvRecords[T]{cw: csv.NewWriter(w), layout: l, row: make([]string, len(l.columns))}
}

func (c *csvRecords[T]) header() error { return c.cw.Write(c.layout.header) }

func (c *csvRecords[T]) write(r *T) error {
	v := reflect.ValueOf(r).Elem()
	for i, col := range c.layout.columns {
		f := v.FieldByIndex(col.index)
		if col.isInt {
			c.row[i] = strconv.FormatInt(f.Int(), 10)
		} else {
			c.row[i] = f.String()
		}
	}
	return c.cw.Write(c.row)
}

// flush writes out what is buffered and reports any error of the writes.
func (c *csvRecords[T]) flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// writeAll writes the header and every record of recs, then flushes.
func writeAll[T any](w io.Writer, recs []T) error {
	c := newCSVRecords[T](w)
	if err := c.header(); err != nil {
		return err
	}
	for i := range recs {
		if err := c.write(&recs[i]); err != nil {
			return err
		}
	}
	return c.flush()
}
