// Package assets holds dpnkit's web page (HTML, CSS and JavaScript,
// embedded in the binary) for `dpnkit serve` and `report --html`. The page
// loads nothing from anywhere: its style and script are inline, allowed by
// the Content-Security-Policy through their SHA-256 hashes and nothing else.
package assets

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"strings"
)

//go:embed page.html
var pageHTML string

//go:embed app.css
var appCSS string

//go:embed app.js
var appJS string

// policy is the Content-Security-Policy of the page; connect is the
// connect-src source list ('self' for serve, 'none' for a report file).
func policy(connect string) string {
	return "default-src 'none'; script-src " + hash(appJS) + "; style-src " + hash(appCSS) +
		"; img-src data:; connect-src " + connect + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// ServeCSP is the Content-Security-Policy header of every answer of
// `dpnkit serve`: the page may run its own script and style and call the
// server it came from, nothing else.
func ServeCSP() string { return policy("'self'") }

// ServePage is the upload page of `dpnkit serve` (no data embedded).
func ServePage() []byte { return page("dpnkit", "", []byte("null")) }

// ReportPage is a self-contained page showing data: the JSON object
// {"check": <check JSON>, "reconcile": <reconcile JSON or null>}. It
// carries its own Content-Security-Policy (a file has no headers), which
// lets it connect nowhere.
func ReportPage(title string, data []byte) []byte {
	meta := `<meta http-equiv="Content-Security-Policy" content="` + policy("'none'") + `">` + "\n"
	return page(title, meta, scriptSafe(data))
}

func page(title, csp string, data []byte) []byte {
	r := strings.NewReplacer("{{CSP}}", csp, "{{TITLE}}", htmlEscape(title), "{{CSS}}", appCSS, "{{JS}}", appJS)
	head, tail, _ := strings.Cut(pageHTML, "{{DATA}}")
	var b bytes.Buffer
	b.Grow(len(pageHTML) + len(appCSS) + len(appJS) + len(data))
	b.WriteString(r.Replace(head))
	b.Write(data)
	b.WriteString(r.Replace(tail))
	return b.Bytes()
}

// scriptSafe makes JSON safe inside <script type="application/json">: no
// "</script" or "<!--" can end or change the element. '<', '>' and '&'
// only occur inside JSON strings, where \u escapes mean the same.
func scriptSafe(js []byte) []byte {
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return []byte(r.Replace(string(js)))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
