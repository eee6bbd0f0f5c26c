// Package interchange writes the files the ESR-TIS interface exchanges,
// as a run rehearses them: the POR records (ESR -> TIS), the APP applicant
// files (TIS -> ESR; CSV or JSON lines), ESR's APC confirmations and the
// DNF/DNC notification files (TIS -> ESR). It is transport, not reporting:
// values are written exactly as held (no formula guarding, no trimming) so
// that a reader gets back what the run sent, in the order given.
//
// Each record is one Go type whose csv struct tags are its file layout,
// the header names in file order (docs/interface-files.md describes every
// field): exchange.POR, APPRecord, exchange.APC and exchange.DNCRecord. The
// exchange computes the records; this package owns only how they are
// written, one writer per record kind, each taking the redaction policy
// (package redact) for the files that name people.
//
// The tags follow github.com/gocarina/gocsv's convention (`csv:"name"`,
// "-" leaves a field out, a struct field's columns are "outer.inner"), and
// a test checks that gocsv writes the same bytes. The rows are written by
// this package's own small tag reader (layout.go) rather than
// gocsv.MarshalCSV: for a national run's 350,000 POR records gocsv took
// 0.67 s and 3.85M allocations against 0.11–0.13 s and none a record.
package interchange
