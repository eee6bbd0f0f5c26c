package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

var screenshots = flag.String("screenshots", "", "TestBrowser: write the page's screenshots (serve-*.png) into this folder (make screenshots)")

// needTool is the path of the first of names found, or skips the test;
// in CI (CI=true) a missing tool fails it instead, so a broken install
// step cannot hide the test.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not installed (CI=true: .ci/run installs it)", names[0])
	}
	t.Skipf("%s not installed", names[0])
	return ""
}

// browserContext starts headless Chromium with a fresh profile that
// downloads into dir.
func browserContext(t *testing.T, chromium, downloads string) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-GB"))
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
		return err
	}))
	if err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// TestBrowser drives the page in Chromium as a user would: drops the
// committed sample on it, checks, reads the statistics shown, filters the
// findings to one rule and downloads the DPN workbook.
func TestBrowser(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium-browser", "google-chrome")
	s, tmp := testServer(t, 0)
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(sctx) }()
	t.Cleanup(func() { stop(); <-served })

	downloads := t.TempDir()
	ctx := browserContext(t, chromium, downloads)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sample, _ := filepath.Abs(samples + "/positions_bom_crlf.csv")

	step(t, ctx, "open the page and add the file",
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.ID("upload")),
		chromedp.SetUploadFiles(chromedp.ID("positions"), []string{sample}),
		chromedp.SetValue(chromedp.ID("as-of"), "2026-11-25"),
		chromedp.WaitVisible(chromedp.CSS("#list-positions li")))
	shoot(t, ctx, "serve-upload.png")
	step(t, ctx, "check", chromedp.Click(chromedp.ID("run")), chromedp.WaitVisible(chromedp.ID("verdict")))
	verdict, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verdict")))
	if err != nil || !strings.HasPrefix(verdict, "NOT READY for go-live") {
		t.Errorf("verdict %q (%v), want NOT READY for go-live", verdict, err)
	}
	shoot(t, ctx, "serve-results.png")

	doc := checkJSON(t, s, sample)
	assertStatsShown(t, ctx, doc)
	assertFilter(t, ctx, doc, "dpn.duplicate")
	step(t, ctx, "scroll to the findings", chromedp.ScrollIntoView(chromedp.ID("f-rule")))
	shoot(t, ctx, "serve-findings.png")
	assertSort(t, ctx)

	step(t, ctx, "download the DPN workbook", chromedp.Click(chromedp.CSS(`#downloads button[data-include="dpn"]`)))
	book := waitFile(t, filepath.Join(downloads, "DPN_Report_504_20261125.xlsx"))
	assertWorkbook(t, book)
	assertEmpty(t, tmp)
}

func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// shoot saves what the window shows as name when -screenshots is set.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkDoc is what the test reads of /api/check's JSON.
type checkDoc struct {
	Totals   map[string]any   `json:"totals"`
	VPDs     []map[string]any `json:"vpds"`
	Findings []struct {
		Rule string `json:"rule"`
	} `json:"findings"`
}

// checkJSON asks the API, as curl would, for the JSON of the same check.
func checkJSON(t *testing.T, s *Server, sample string) checkDoc {
	t.Helper()
	body, ctype := form(t, map[string][]string{"positions": {sample}}, map[string]string{"as_of": "2026-11-25"})
	req, _ := http.NewRequest("POST", "http://"+s.Addr()+"/api/check", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc checkDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api/check: status %d, %v", resp.StatusCode, err)
	}
	if doc.Totals["positions"] != 24.0 || len(doc.VPDs) != 1 {
		t.Fatalf("/api/check: %v positions in %d VPDs, want the sample's 24 in one", doc.Totals["positions"], len(doc.VPDs))
	}
	return doc
}

// assertStatsShown compares every statistic in the per-VPD table with the
// JSON's.
func assertStatsShown(t *testing.T, ctx context.Context, doc checkDoc) {
	t.Helper()
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll("#vpds td[data-stat]")].map(td => [td.dataset.row + "/" + td.dataset.stat, td.textContent]))`))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]map[string]any{"total": doc.Totals}
	for _, v := range doc.VPDs {
		rows[v["vpd"].(string)] = v
	}
	n := 0
	for row, stats := range rows {
		for k, v := range stats {
			got, ok := shown[row+"/"+k]
			var want string
			switch v := v.(type) {
			case float64:
				want = strconv.Itoa(int(v))
				got = strings.ReplaceAll(got, ",", "")
			case bool:
				want = map[bool]string{true: "READY", false: "NOT READY"}[v]
			default:
				continue // vpd, by_rule
			}
			n++
			if !ok || got != want {
				t.Errorf("%s %s: page shows %q, JSON has %s", row, k, got, want)
			}
		}
	}
	if n < 24 { // 12 statistics for the VPD and for the totals
		t.Errorf("compared %d statistics, want at least 24", n)
	}
}

// assertFilter filters the findings to rule and compares what is listed
// (and the per-rule summary) with the JSON's findings of that rule.
func assertFilter(t *testing.T, ctx context.Context, doc checkDoc, rule string) {
	t.Helper()
	want := 0
	for _, f := range doc.Findings {
		if f.Rule == rule {
			want++
		}
	}
	step(t, ctx, "filter by rule", chromedp.SetValue(chromedp.ID("f-rule"), rule),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-rule").dispatchEvent(new Event("change"))`))
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#findings tr[data-rule]")].map(tr => tr.dataset.rule)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != want || want == 0 {
		t.Errorf("filtered to %s: %d rows, the JSON has %d such findings", rule, len(rules), want)
	}
	for _, r := range rules {
		if r != rule {
			t.Errorf("filtered to %s: a row of %s is listed", rule, r)
		}
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`#rules td[data-rule=%q]`, rule))))
	if err != nil || summary != strconv.Itoa(want) {
		t.Errorf("findings by rule, %s: %q (%v), want %d", rule, summary, err, want)
	}
}

// assertSort lists every finding again and sorts by severity: errors
// first, then the other way round.
func assertSort(t *testing.T, ctx context.Context) {
	t.Helper()
	severities := `[...document.querySelectorAll("#findings tr[data-severity]")].map(tr => tr.dataset.severity).join(",")`
	step(t, ctx, "all rules", chromedp.SetValue(chromedp.ID("f-rule"), ""),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f-rule").dispatchEvent(new Event("change"))`),
		chromedp.Click(chromedp.CSS(`#findings th[data-key="severity"]`)))
	// positions_bom_crlf.csv: 9 errors, 6 warnings, 2 infos (EXPECTED.md).
	want := strings.Repeat("error,", 9) + strings.Repeat("warning,", 6) + "info,info"
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](severities)); err != nil || got != want {
		t.Errorf("sorted by severity: %s (%v), want %s", got, err, want)
	}
	step(t, ctx, "sort the other way", chromedp.Click(chromedp.CSS(`#findings th[data-key="severity"]`)))
	want = "info,info," + strings.Repeat("warning,", 6) + strings.TrimSuffix(strings.Repeat("error,", 9), ",")
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](severities)); err != nil || got != want {
		t.Errorf("sorted by severity, descending: %s (%v), want %s", got, err, want)
	}
}

func waitFile(t *testing.T, path string) string {
	t.Helper()
	for range 300 {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return path
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	t.Fatalf("no %s after 30 s; the folder holds %v", filepath.Base(path), entries)
	return ""
}

// assertWorkbook opens the downloaded workbook: its tabs, and the sample's
// duplicate DPN on the Duplicate DPN tab.
func assertWorkbook(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("reopen the downloaded workbook: %v", err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), ", ")
	for _, want := range []string{"Summary", "Duplicate DPN", "All DPN Positions", "Findings"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("workbook tabs %s: no %s", sheets, want)
		}
	}
	rows, err := f.GetRows("Duplicate DPN")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range rows {
		if strings.Contains(strings.Join(r, "|"), "EOE/RGT00/100/STR/123") {
			found++
		}
	}
	if found != 2 { // positions 3 and 4
		t.Errorf("Duplicate DPN tab: EOE/RGT00/100/STR/123 on %d rows, want 2", found)
	}
}

// TestBrowserReconcile: with placements the page also shows the
// placements' table and the "did you mean" list of the reconciliation.
func TestBrowserReconcile(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium-browser", "google-chrome")
	s, _ := testServer(t, 0)
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(sctx) }()
	t.Cleanup(func() { stop(); <-served })
	ctx := browserContext(t, chromium, t.TempDir())
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	positions, _ := filepath.Abs(samples + "/real/positions_504_report.csv")
	placements, _ := filepath.Abs(samples + "/real/placements_504.csv")

	step(t, ctx, "check and reconcile",
		chromedp.Navigate(s.URL()),
		chromedp.SetUploadFiles(chromedp.ID("positions"), []string{positions}),
		chromedp.SetUploadFiles(chromedp.ID("placements"), []string{placements}),
		chromedp.SetValue(chromedp.ID("as-of"), "2026-11-25"),
		chromedp.WaitVisible(chromedp.CSS("#list-placements li")),
		chromedp.Click(chromedp.ID("run")),
		chromedp.WaitVisible(chromedp.ID("rec")))
	// placements_504.csv: placement 1716005's NPN EOE/RGT01/300/GPVTS/O12
	// has a letter O for the zero of position 10000013's DPN.
	dym, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#dym tr[data-placement="1716005"]`)))
	if err != nil || !strings.Contains(dym, "EOE/RGT01/300/GPVTS/012") || !strings.Contains(dym, "10000013") {
		t.Errorf("did you mean, placement 1716005: %q (%v), want EOE/RGT01/300/GPVTS/012 on position 10000013", dym, err)
	}
	total, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#rec-groups td[data-row="total"][data-stat="placements"]`)))
	if err != nil || total != "7" { // 8 rows, one ended before the as-of date
		t.Errorf("placements in total: %q (%v), want 7", total, err)
	}
	step(t, ctx, "scroll to the placements", chromedp.ScrollIntoView(chromedp.ID("rec")))
	shoot(t, ctx, "serve-reconcile.png")
}

// TestHTMLReportInBrowser opens the page report --html writes as a file:
// its script runs under its own Content-Security-Policy and shows the
// embedded result without a server.
func TestHTMLReportInBrowser(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium-browser", "google-chrome")
	s, _ := testServer(t, 0)
	files := map[string][]string{"positions": {samples + "/positions.DAT"}}
	body, ctype := form(t, files, map[string]string{"as_of": "2026-11-25", "include": "html"})
	w := do(s, "POST", "/api/report", bytes.NewReader(body), ctype, "", s.token)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body.String())
	}
	page := filepath.Join(t.TempDir(), "DPN_Report_20261125.html")
	if err := os.WriteFile(page, w.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browserContext(t, chromium, t.TempDir())
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	step(t, ctx, "open the report", chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.ID("verdict")))
	verdict, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verdict")))
	errs, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#vpds td[data-row="504"][data-stat="errors"]`)))
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#findings tr[data-rule]").length`))
	upload, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("upload").hidden`))
	// EXPECTED.md: 9 errors; the GO file has 18 findings (17 + the repair's info).
	if !strings.HasPrefix(verdict, "NOT READY") || errs != "9" || rows != 18 || !upload {
		t.Errorf("report page: verdict %q, errors %q, %d findings listed, upload hidden %v; want NOT READY, 9, 18, true",
			verdict, errs, rows, upload)
	}
}
