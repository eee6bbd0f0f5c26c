package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dpnkit/internal/load"
)

// upload is what a request sent, its files saved in the request's own
// temporary folder.
type upload struct {
	dir        string   // the request's temporary folder
	in         string   // dir/in: the uploaded files, under their own names
	positions  []string // paths in in
	placements []string
	asOf       time.Time
	vpd        string   // check's --vpd: the VPD of files without a VPD column
	include    []string // /api/report: which files to answer
	names      map[string]bool
}

// httpError is a refusal with its status and a message for the user.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// tooLarge is the message for a request over the limit.
func (s *Server) tooLarge() *httpError {
	return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf(
		"the files are too large: this page takes at most %s in one go. Start dpnkit serve with a higher --max-upload (in MB), or run dpnkit check on the command line",
		sizeText(s.opts.MaxUpload))}
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// receive saves the multipart form of r into a new temporary folder. The
// caller must call the cleanup it returns (which removes the folder) even
// when receive fails; the folder is then already gone.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (*upload, func(), error) {
	nothing := func() {}
	if r.ContentLength > s.opts.MaxUpload {
		return nil, nothing, s.tooLarge()
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, nothing, &httpError{http.StatusBadRequest, "send the files as multipart/form-data (fields positions, placements, as_of)"}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxUpload)
	dir, err := os.MkdirTemp(s.opts.TempDir, "dpnkit-serve-*")
	if err != nil {
		return nil, nothing, fmt.Errorf("temporary folder: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	u := &upload{dir: dir, in: filepath.Join(dir, "in"), names: map[string]bool{}}
	if err := os.Mkdir(u.in, 0o700); err != nil {
		cleanup()
		return nil, nothing, fmt.Errorf("temporary folder: %w", err)
	}
	if err := s.readParts(r, u); err != nil {
		cleanup()
		return nil, nothing, err
	}
	return u, cleanup, nil
}

func (s *Server) readParts(r *http.Request, u *upload) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return &httpError{http.StatusBadRequest, "send the files as multipart/form-data: " + err.Error()}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s.readError(err)
		}
		err = u.take(part.FormName(), part.FileName(), part)
		part.Close()
		if err != nil {
			return s.readError(err)
		}
	}
	return u.validate()
}

// readError turns a failed read of the body into the answer to give.
func (s *Server) readError(err error) error {
	var mb *http.MaxBytesError
	var he *httpError
	switch {
	case errors.As(err, &mb):
		return s.tooLarge()
	case errors.As(err, &he):
		return err
	}
	return &httpError{http.StatusBadRequest, "the upload was cut short or malformed: " + err.Error()}
}

// take saves or reads one part of the form.
func (u *upload) take(field, fileName string, r io.Reader) error {
	switch field {
	case "positions", "placements":
		p, err := u.save(fileName, r)
		if err != nil {
			return err
		}
		if field == "positions" {
			u.positions = append(u.positions, p)
		} else {
			u.placements = append(u.placements, p)
		}
	case "as_of":
		v, err := small(r)
		if err != nil {
			return err
		}
		t, ok := load.ParseDateCell(v)
		if !ok {
			return &httpError{http.StatusBadRequest, fmt.Sprintf("as_of %q: want a date such as 2026-11-25", v)}
		}
		u.asOf = t
	case "vpd":
		v, err := small(r)
		if err != nil {
			return err
		}
		u.vpd = v
	case "include":
		v, err := small(r)
		if err != nil {
			return err
		}
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				u.include = append(u.include, k)
			}
		}
	default:
		return &httpError{http.StatusBadRequest, fmt.Sprintf("unknown form field %q: want positions, placements, as_of, vpd (and include for /api/report)", field)}
	}
	return nil
}

// small reads a form value of at most 1 KB.
func small(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1025))
	if err != nil {
		return "", err
	}
	if len(b) > 1024 {
		return "", &httpError{http.StatusBadRequest, "a form value is longer than 1 KB"}
	}
	return strings.TrimSpace(string(b)), nil
}

// save writes an uploaded file into u.in under its own name (the loader
// reads a VPD and a format from it), made safe and unique.
func (u *upload) save(fileName string, r io.Reader) (string, error) {
	name := safeName(fileName)
	for i := 2; u.names[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%d-%s", i, safeName(fileName))
	}
	u.names[strings.ToLower(name)] = true
	p := filepath.Join(u.in, name)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("temporary file: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return p, err
}

// safeName is the base of a browser's file name with only letters, digits
// and . _ - and spaces kept, at most 100 characters.
func safeName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == ' ':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ". ")
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	if s == "" {
		s = "upload"
	}
	return s
}

func (u *upload) validate() error {
	if len(u.positions) == 0 {
		return &httpError{http.StatusBadRequest, "no position export: send one or more files in the field positions"}
	}
	if u.asOf.IsZero() {
		now := time.Now()
		u.asOf = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	return nil
}

// clean removes the temporary folder's path from b (an answer or a
// message), so the files are named as the user named them.
func (u *upload) clean(b []byte) []byte {
	prefix := u.in + string(filepath.Separator)
	js, _ := json.Marshal(prefix)
	b = bytesReplace(b, string(js[1:len(js)-1]), "")
	return bytesReplace(b, prefix, "")
}

func bytesReplace(b []byte, old, new string) []byte {
	return bytes.ReplaceAll(b, []byte(old), []byte(new))
}
