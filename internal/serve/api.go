package serve

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/atomicfile"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
	"dpnkit/reconcile"
	"dpnkit/report"
)

// handle receives the upload, runs job and always removes the temporary
// folder, whether the job worked or not.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, job func(*upload) error) {
	u, cleanup, err := s.receive(w, r)
	defer cleanup()
	if err == nil {
		err = job(u)
	}
	if err == nil {
		return
	}
	var he *httpError
	switch {
	case errors.As(err, &he):
		writeError(w, he.status, he.msg)
	case r.Context().Err() != nil:
		// The page went away: nobody to answer.
	default:
		msg := err.Error()
		if u != nil {
			msg = string(u.clean([]byte(msg)))
		}
		// Bad input is the usual reason: the loader's message says which
		// file, row and what was expected.
		writeError(w, http.StatusUnprocessableEntity, msg)
	}
}

// streams are a job's streams: the document into out, nothing else.
func streams(out io.Writer) *iostreams.Streams {
	return &iostreams.Streams{In: strings.NewReader(""), Out: out, Err: io.Discard, Quiet: true}
}

func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	s.handle(w, r, func(u *upload) error {
		var out bytes.Buffer
		if _, err := s.check(r.Context(), u, &out, pipeline.FormatJSON, ""); err != nil {
			return err
		}
		return writeJSON(w, u.clean(out.Bytes()))
	})
}

func (s *Server) apiReconcile(w http.ResponseWriter, r *http.Request) {
	s.handle(w, r, func(u *upload) error {
		if len(u.placements) == 0 {
			return &httpError{http.StatusBadRequest, "no placement export: send one or more files in the field placements"}
		}
		var out bytes.Buffer
		if _, err := s.reconcile(r.Context(), u, &out, ""); err != nil {
			return err
		}
		return writeJSON(w, u.clean(out.Bytes()))
	})
}

func writeJSON(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
	return nil
}

// check runs `dpnkit check` (or `report` with outDir) on the upload,
// writing its document in format to out.
func (s *Server) check(ctx context.Context, u *upload, out io.Writer, format, outDir string) (*checks.Result, error) {
	res, _, err := pipeline.Check(ctx, streams(out), pipeline.CheckOptions{
		Files: u.positions, AsOf: u.asOf, VPD: u.vpd, Format: format, OutDir: outDir, Workers: s.opts.Workers})
	return res, err
}

// reconcile runs `dpnkit reconcile --format json` on the upload, with
// the exception workbook into outDir unless it is "".
func (s *Server) reconcile(ctx context.Context, u *upload, out io.Writer, outDir string) (*reconcile.Result, error) {
	res, _, err := pipeline.Reconcile(ctx, streams(out), pipeline.ReconcileOptions{
		Positions: u.positions, Placements: u.placements, AsOf: u.asOf, VPD: u.vpd, Format: pipeline.FormatJSON,
		OutDir: outDir, Workers: s.opts.Workers})
	return res, err
}

// The files /api/report can answer (its include field).
const (
	includeDPN       = "dpn"       // the DPN report workbook(s)
	includeException = "exception" // the HEE exception workbook (needs placements)
	includeCSV       = "csv"       // the findings CSV of check
	includeHTML      = "html"      // the HTML report
)

// apiReport answers a zip of the report files, or the one file asked for
// when include names one kind that makes one file.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	s.handle(w, r, func(u *upload) error {
		want, err := u.wanted()
		if err != nil {
			return err
		}
		files, err := s.reportFiles(r.Context(), u, want)
		if err != nil {
			return err
		}
		if len(want) == 1 && len(files) == 1 {
			return sendFile(w, files[0])
		}
		return sendZip(w, files, "dpnkit-reports-"+u.asOf.Format("20060102")+".zip")
	})
}

// wanted is the kinds of file asked for: all that apply by default.
func (u *upload) wanted() ([]string, error) {
	all := []string{includeDPN, includeCSV, includeHTML}
	if len(u.placements) > 0 {
		all = append(all, includeException)
	}
	if len(u.include) == 0 {
		return all, nil
	}
	for _, k := range u.include {
		if k == includeException && len(u.placements) == 0 {
			return nil, &httpError{http.StatusBadRequest, "the exception workbook needs placement exports (field placements)"}
		}
		if !slices.Contains([]string{includeDPN, includeException, includeCSV, includeHTML}, k) {
			return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("include %q: want dpn, exception, csv or html", k)}
		}
	}
	return u.include, nil
}

// reportFiles writes the files asked for into the request's folder and
// returns their paths.
func (s *Server) reportFiles(ctx context.Context, u *upload, want []string) ([]string, error) {
	out := filepath.Join(u.dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		return nil, err
	}
	var csv bytes.Buffer
	workbooks := ""
	if slices.Contains(want, includeDPN) {
		workbooks = out
	}
	res, err := s.check(ctx, u, &csv, pipeline.FormatCSV, workbooks)
	if err != nil {
		return nil, err
	}
	var rec *reconcile.Result
	if len(u.placements) > 0 && (slices.Contains(want, includeException) || slices.Contains(want, includeHTML)) {
		exception := ""
		if slices.Contains(want, includeException) {
			exception = out
		}
		if rec, err = s.reconcile(ctx, u, io.Discard, exception); err != nil {
			return nil, err
		}
	}
	if slices.Contains(want, includeCSV) {
		if _, err := atomicfile.WriteFile(out, "findings_"+u.asOf.Format("20060102")+".csv", func(w io.Writer) error {
			_, err := w.Write(u.clean(csv.Bytes()))
			return err
		}); err != nil {
			return nil, err
		}
	}
	if slices.Contains(want, includeHTML) {
		var page bytes.Buffer
		meta := report.Meta{Tool: pipeline.Tool, Version: pipeline.Version, AsOf: u.asOf}
		if err := report.HTML(&page, res, rec, meta); err != nil {
			return nil, err
		}
		if _, err := atomicfile.WriteFile(out, report.HTMLReportName(u.asOf), func(w io.Writer) error {
			_, err := w.Write(u.clean(page.Bytes()))
			return err
		}); err != nil {
			return nil, err
		}
	}
	return listFiles(out)
}

func listFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	return paths, nil
}

// contentType is the media type of a report file by its extension.
func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

func attachment(w http.ResponseWriter, name, ctype string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
}

func sendFile(w http.ResponseWriter, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	attachment(w, filepath.Base(path), contentType(path))
	_, _ = io.Copy(w, f)
	return nil
}

// sendZip answers a zip of the files; once it has started, a failure can
// only cut the answer short (the zip is then unreadable, never wrong).
func sendZip(w http.ResponseWriter, paths []string, name string) error {
	attachment(w, name, "application/zip")
	zw := zip.NewWriter(w)
	for _, p := range paths {
		if err := addToZip(zw, p); err != nil {
			return nil
		}
	}
	_ = zw.Close()
	return nil
}

func addToZip(zw *zip.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(path), Method: zip.Deflate, Modified: st.ModTime()})
	if err != nil {
		return err
	}
	_, err = io.Copy(fw, f)
	return err
}
