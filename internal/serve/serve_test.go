package serve

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

const samples = "../../fixtures/samples"

// testServer listens on a free loopback port (never served: requests go
// straight to its Handler) with its temporary folders in tmp.
func testServer(t *testing.T, maxUpload int64) (s *Server, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	s, err := Listen(Options{MaxUpload: maxUpload, TempDir: tmp, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ln.Close() })
	return s, tmp
}

// form is a multipart body: files by field (field -> file paths), and
// text fields.
func form(t *testing.T, files map[string][]string, fields map[string]string) (body []byte, ctype string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for field, paths := range files {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fw, _ := mw.CreateFormFile(field, filepath.Base(p))
			fw.Write(data)
		}
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// do sends a request to s's handler with the given Host (s.Addr() when
// ""), the token as a Bearer header unless token is "-", and headers.
func do(s *Server, method, path string, body io.Reader, ctype, host, token string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, body)
	r.Host = host
	if host == "" {
		r.Host = s.Addr()
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if token != "-" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func errorOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct{ Error string }
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("answer %d is not a JSON error: %q", w.Code, w.Body.String())
	}
	return e.Error
}

// assertEmpty fails unless dir holds nothing.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Errorf("%s still holds %v after the request", dir, entries)
	}
}

func TestPageNeedsToken(t *testing.T) {
	s, _ := testServer(t, 0)
	for _, tc := range []struct {
		name, path, token string
		want              int
	}{
		{"no token", "/", "-", http.StatusUnauthorized},
		{"wrong token", "/", "0123", http.StatusUnauthorized},
		{"wrong query token", "/?token=" + strings.Repeat("a", len(s.token)), "-", http.StatusUnauthorized},
		{"query token", "/?token=" + s.token, "-", http.StatusOK},
		{"bearer token", "/", s.token, http.StatusOK},
	} {
		w := do(s, "GET", tc.path, nil, "", "", tc.token)
		if w.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.want)
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q lacks default-src 'none'", tc.name, csp)
		}
	}
	// The page itself: scripts and styles inline only, nothing from elsewhere.
	page := do(s, "GET", "/", nil, "", "", s.token).Body.String()
	for _, bad := range []string{"http://", "https://", "<script src", "<link rel=\"stylesheet\""} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

func TestRefusesForeignHost(t *testing.T) {
	s, _ := testServer(t, 0)
	_, port, _ := strings.Cut(s.Addr(), ":")
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1:1", "127.0.0.2:" + port} {
		w := do(s, "GET", "/", nil, "", host, s.token)
		if w.Code != http.StatusForbidden || !strings.Contains(errorOf(t, w), "Host") {
			t.Errorf("Host %q: status %d %q, want 403 naming the Host", host, w.Code, w.Body.String())
		}
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port} {
		if w := do(s, "GET", "/", nil, "", host, s.token); w.Code != http.StatusOK {
			t.Errorf("Host %q: status %d, want 200", host, w.Code)
		}
	}
}

func TestRefusesForeignOrigin(t *testing.T) {
	s, tmp := testServer(t, 0)
	body, ctype := form(t, map[string][]string{"positions": {samples + "/positions.DAT"}}, map[string]string{"as_of": "2026-11-25"})
	for _, origin := range []string{"http://evil.example", "null", "http://127.0.0.1:1", "https://" + s.Addr()} {
		w := do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token, "Origin", origin)
		if w.Code != http.StatusForbidden {
			t.Errorf("Origin %q: status %d, want 403", origin, w.Code)
		}
	}
	// A foreign page's request without Origin but marked cross-site.
	w := do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token, "Sec-Fetch-Site", "cross-site")
	if w.Code != http.StatusForbidden {
		t.Errorf("Sec-Fetch-Site cross-site: status %d, want 403", w.Code)
	}
	assertEmpty(t, tmp)
	w = do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token, "Origin", "http://"+s.Addr())
	if w.Code != http.StatusOK {
		t.Errorf("own Origin: status %d %s, want 200", w.Code, w.Body.String())
	}
}

func TestRefusesOverLimit(t *testing.T) {
	s, tmp := testServer(t, 4<<10)
	big := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(big, bytes.Repeat([]byte("VPD,Position Number\n"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	body, ctype := form(t, map[string][]string{"positions": {big}}, nil)
	// Announced by Content-Length, and sent without one (chunked): both
	// are cut at the limit.
	for _, r := range []io.Reader{bytes.NewReader(body), iotest.HalfReader(bytes.NewReader(body))} {
		w := do(s, "POST", "/api/check", r, ctype, "", s.token)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d %s, want 413", w.Code, w.Body.String())
		}
		if msg := errorOf(t, w); !strings.Contains(msg, "at most 4096 bytes") || !strings.Contains(msg, "--max-upload") {
			t.Errorf("message %q: want the limit and how to raise it", msg)
		}
		assertEmpty(t, tmp)
	}
}

// TestNoFileLeft: the request's temporary folder goes whether the job
// worked, failed on bad input or was refused half-read.
func TestNoFileLeft(t *testing.T) {
	s, tmp := testServer(t, 0)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("no,such,columns\n1,2,3\n"), 0o600)
	good, gctype := form(t, map[string][]string{"positions": {samples + "/positions.DAT"}}, map[string]string{"as_of": "2026-11-25"})
	broken, bctype := form(t, map[string][]string{"positions": {bad}}, nil)
	for _, tc := range []struct {
		name, path string
		body       []byte
		ctype      string
		want       int
	}{
		{"check", "/api/check", good, gctype, http.StatusOK},
		{"report", "/api/report", good, gctype, http.StatusOK},
		{"bad input", "/api/check", broken, bctype, http.StatusUnprocessableEntity},
		{"bad input report", "/api/report", broken, bctype, http.StatusUnprocessableEntity},
		{"cut short", "/api/check", good[:len(good)/2], gctype, http.StatusBadRequest},
		{"reconcile without placements", "/api/reconcile", good, gctype, http.StatusBadRequest},
	} {
		w := do(s, "POST", tc.path, bytes.NewReader(tc.body), tc.ctype, "", s.token)
		if w.Code != tc.want {
			t.Errorf("%s: status %d %.300s, want %d", tc.name, w.Code, w.Body.String(), tc.want)
		}
		assertEmpty(t, tmp)
	}
}

// TestBadInputMessage: the loader's message, naming the file as uploaded
// (not the temporary folder).
func TestBadInputMessage(t *testing.T) {
	s, tmp := testServer(t, 0)
	bad := filepath.Join(t.TempDir(), "export.csv")
	os.WriteFile(bad, []byte("no,such,columns\n1,2,3\n"), 0o600)
	body, ctype := form(t, map[string][]string{"positions": {bad}}, nil)
	msg := errorOf(t, do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token))
	if !strings.HasPrefix(msg, "export.csv:") || strings.Contains(msg, tmp) {
		t.Errorf("message %q: want it to start with the uploaded name export.csv, without the temporary folder", msg)
	}
}

// TestCheckJSON: /api/check answers check --format json, the inputs named
// as uploaded; its statistics are those of fixtures/samples/EXPECTED.md.
func TestCheckJSON(t *testing.T) {
	s, _ := testServer(t, 0)
	body, ctype := form(t, map[string][]string{"positions": {samples + "/positions_bom_crlf.csv"}}, map[string]string{"as_of": "25/11/2026"})
	w := do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s", w.Code, w.Body.String())
	}
	var doc struct {
		AsOf   string `json:"as_of"`
		Inputs []struct{ Path string }
		Totals map[string]any
		VPDs   []map[string]any `json:"vpds"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AsOf != "2026-11-25" || len(doc.Inputs) != 1 || doc.Inputs[0].Path != "positions_bom_crlf.csv" {
		t.Errorf("as_of %q inputs %+v: want 2026-11-25 and positions_bom_crlf.csv", doc.AsOf, doc.Inputs)
	}
	want := map[string]float64{"positions": 24, "active": 21, "active_with_dpn": 19, "duplicate_dpns": 1,
		"positions_in_duplicates": 2, "dpn_issues": 4, "position_name_issues": 2, "errors": 9, "warnings": 6,
		"infos": 2, "input_errors": 1}
	for k, v := range want {
		if doc.Totals[k] != v {
			t.Errorf("totals.%s = %v, want %v", k, doc.Totals[k], v)
		}
	}
	if doc.Totals["ready"] != false || len(doc.VPDs) != 1 || doc.VPDs[0]["vpd"] != "504" {
		t.Errorf("ready %v, vpds %v: want false and one VPD 504", doc.Totals["ready"], doc.VPDs)
	}
}

func TestReconcileJSON(t *testing.T) {
	s, _ := testServer(t, 0)
	body, ctype := form(t, map[string][]string{
		"positions":  {samples + "/real/positions_504_report.csv"},
		"placements": {samples + "/real/placements_504.csv"},
	}, map[string]string{"as_of": "2026-11-25"})
	w := do(s, "POST", "/api/reconcile", bytes.NewReader(body), ctype, "", s.token)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body.String())
	}
	var doc struct {
		Totals     map[string]any
		Placements []struct {
			PlacementID string `json:"placement_id"`
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// placements_504.csv: 8 rows, one ended before the as-of date.
	if doc.Totals["placements"] != 7.0 || len(doc.Placements) != 7 {
		t.Errorf("placements %v (%d listed), want 7", doc.Totals["placements"], len(doc.Placements))
	}
}

func TestReportZip(t *testing.T) {
	s, tmp := testServer(t, 0)
	files := map[string][]string{
		"positions":  {samples + "/real/positions_504_report.csv"},
		"placements": {samples + "/real/placements_504.csv"},
	}
	body, ctype := form(t, files, map[string]string{"as_of": "2026-11-25"})
	w := do(s, "POST", "/api/report", bytes.NewReader(body), ctype, "", s.token)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("status %d %s %.200s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	want := []string{"DPN_Report_20261125.html", "DPN_Report_504_20261125.xlsx", "Placement_ESR_Check_20261125.xlsx", "findings_20261125.csv"}
	if !slices.Equal(names, want) {
		t.Errorf("zip holds %v, want %v", names, want)
	}
	// One kind asked for, one file made: that file itself.
	body, ctype = form(t, files, map[string]string{"as_of": "2026-11-25", "include": "dpn"})
	w = do(s, "POST", "/api/report", bytes.NewReader(body), ctype, "", s.token)
	if cd := w.Header().Get("Content-Disposition"); w.Code != http.StatusOK || cd != `attachment; filename="DPN_Report_504_20261125.xlsx"` {
		t.Errorf("include=dpn: status %d, Content-Disposition %q", w.Code, cd)
	}
	if !bytes.HasPrefix(w.Body.Bytes(), []byte("PK")) {
		t.Errorf("include=dpn: the answer is not an .xlsx (zip) file")
	}
	body, ctype = form(t, map[string][]string{"positions": files["positions"]}, map[string]string{"include": "exception"})
	if w := do(s, "POST", "/api/report", bytes.NewReader(body), ctype, "", s.token); w.Code != http.StatusBadRequest {
		t.Errorf("exception without placements: status %d, want 400", w.Code)
	}
	assertEmpty(t, tmp)
}

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", ":0", "example.com:80", "127.0.0.1"} {
		s, err := Listen(Options{Addr: addr})
		var ae *AddrError
		if !errors.As(err, &ae) {
			if s != nil {
				s.ln.Close()
			}
			t.Errorf("--addr %s: error %v, want an AddrError", addr, err)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"GO_504_EXP_GOF_20261125_00000001.DAT": "GO_504_EXP_GOF_20261125_00000001.DAT",
		`C:\Users\me\positions (1).csv`:        "positions _1_.csv",
		"../../etc/passwd":                     "passwd",
		"..":                                   "upload",
		"":                                     "upload",
		"posts£.xlsx":                          "posts_.xlsx",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVPDField: a file without a VPD column is refused without the vpd
// field and checked with it, as check --vpd does.
func TestVPDField(t *testing.T) {
	s, _ := testServer(t, 0)
	csv := filepath.Join(t.TempDir(), "posts.csv")
	os.WriteFile(csv, []byte("Position Number,Position Name,Deanery Post Number\n10000001,10000001|Foundation Year 1|N1L|Medicine,EOE/RGT00/021/FY1/010\n"), 0o600)
	body, ctype := form(t, map[string][]string{"positions": {csv}}, map[string]string{"as_of": "2026-11-25"})
	if w := do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("without vpd: status %d, want 422", w.Code)
	}
	body, ctype = form(t, map[string][]string{"positions": {csv}}, map[string]string{"as_of": "2026-11-25", "vpd": "504"})
	w := do(s, "POST", "/api/check", bytes.NewReader(body), ctype, "", s.token)
	var doc struct{ VPDs []struct{ VPD string } }
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != http.StatusOK || len(doc.VPDs) != 1 || doc.VPDs[0].VPD != "504" {
		t.Errorf("with vpd 504: status %d, vpds %+v (%v); want one VPD 504", w.Code, doc.VPDs, err)
	}
}
