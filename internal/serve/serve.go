// Package serve is `dpnkit serve`: a web page on the loopback address for
// the jobs of check, reconcile and report, for users without a terminal,
// and the small JSON API behind it. Every request needs the server's
// random token, a Host naming the address it listens on (against DNS
// rebinding) and, when it changes anything, no foreign Origin. Uploads
// are written to a temporary folder removed when the request ends; the
// jobs are internal/pipeline's, as the commands run them. See docs/serve.md.
package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"dpnkit/internal/serve/assets"
)

// DefaultMaxUpload is the largest request body taken when Options.MaxUpload
// is 0: a national set of exports is a few hundred megabytes.
const DefaultMaxUpload = 1 << 30

// Options configure a Server.
type Options struct {
	// Addr is host:port to listen on; the host must be a loopback
	// address. "" = 127.0.0.1 on a free port.
	Addr string
	// MaxUpload is the largest request body in bytes; 0 = DefaultMaxUpload.
	MaxUpload int64
	// TempDir is the folder in which each request makes its temporary
	// folder; "" = the system's.
	TempDir string
	// Workers is the jobs' parallel parse workers; 0 = all cores.
	Workers int
}

// Server is a listening `dpnkit serve`.
type Server struct {
	opts  Options
	ln    net.Listener
	token string          // the random secret every request must carry
	hosts map[string]bool // Host headers accepted; Origins accepted: "http://" + one
}

// Listen binds the address of opts (a loopback one only).
func Listen(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &AddrError{fmt.Sprintf("--addr %q: want host:port, e.g. 127.0.0.1:8080", opts.Addr)}
	}
	if !loopback(host) {
		return nil, &AddrError{fmt.Sprintf("--addr %q: dpnkit serve listens on this computer only: use 127.0.0.1, ::1 or localhost", opts.Addr)}
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token := hex.EncodeToString(b)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{opts: opts, ln: ln, token: token, hosts: map[string]bool{}}
	port := ln.Addr().(*net.TCPAddr).Port
	for _, h := range []string{"127.0.0.1", "localhost", "[::1]"} {
		s.hosts[fmt.Sprintf("%s:%d", h, port)] = true
	}
	return s, nil
}

// AddrError is an --addr that cannot be used (a usage error).
type AddrError struct{ msg string }

func (e *AddrError) Error() string { return e.msg }

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL is the page's address with its token.
func (s *Server) URL() string {
	return fmt.Sprintf("http://%s/?token=%s", s.Addr(), s.token)
}

// Addr is the address listened on, host:port ([::1]:port for IPv6).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve answers requests until ctx is done, then lets the requests under
// way finish (at most a minute) and returns nil.
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 20 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	err := srv.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return err
}

// Handler is the page and the API behind the guard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("POST /api/check", s.apiCheck)
	mux.HandleFunc("POST /api/reconcile", s.apiReconcile)
	mux.HandleFunc("POST /api/report", s.apiReport)
	return s.guard(mux)
}

// guard refuses a request with a foreign Host, without the token, or
// (when it is not GET or HEAD) from a foreign Origin, and sets the
// security headers of every answer.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", assets.ServeCSP())
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		switch {
		case !s.hosts[strings.ToLower(r.Host)]:
			writeError(w, http.StatusForbidden, fmt.Sprintf("refused: Host %q is not this server's address (%s)", r.Host, s.Addr()))
		case !s.tokenOK(r):
			writeError(w, http.StatusUnauthorized, "refused: no valid token; open the address dpnkit serve printed, with its ?token=")
		case r.Method != http.MethodGet && r.Method != http.MethodHead && !s.originOK(r):
			writeError(w, http.StatusForbidden, fmt.Sprintf("refused: a request from %q, not from this server's page", r.Header.Get("Origin")))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) tokenOK(r *http.Request) bool {
	got := r.URL.Query().Get("token")
	if a := r.Header.Get("Authorization"); got == "" && len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		got = strings.TrimSpace(a[7:])
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

// originOK accepts a request without Origin (curl, scripts: they carry
// the token) or from this server's own page; browsers send Origin on
// every cross-site POST.
func (s *Server) originOK(r *http.Request) bool {
	o, ok := r.Header["Origin"]
	if !ok {
		site := r.Header.Get("Sec-Fetch-Site")
		return site == "" || site == "same-origin" || site == "none"
	}
	if len(o) != 1 {
		return false
	}
	host, ok := strings.CutPrefix(strings.ToLower(o[0]), "http://")
	return ok && s.hosts[host]
}

func (s *Server) page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(assets.ServePage())
}
