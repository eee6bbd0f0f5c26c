package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/serve"
)

func newServeCmd(s *iostreams.Streams) *cobra.Command {
	var (
		addr      string
		noBrowser bool
		maxMB     int64
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Open a local web page to check exports and download the reports without a terminal",
		Long: `serve starts a web page on this computer only (127.0.0.1, a free port unless
--addr) and opens it in the browser. Drop one or more position exports (and
optionally placement exports) on it, pick the as-of date, and see the verdict,
the per-VPD table, the findings by rule and every finding; download the DPN
workbook(s), the exception workbook, the findings CSV or an HTML report.

The address it prints carries a random token: only a page opened from it can
use the server. Uploads go to a temporary folder removed when each request
ends; nothing is kept and nothing leaves the computer. The same server answers
POST /api/check, /api/reconcile and /api/report (see the README).

On Windows, starting dpnkit with no arguments (a double-click) runs serve.
Press Ctrl-C (or close the window) to stop it.`,
		Example: `  dpnkit serve
  dpnkit serve --addr 127.0.0.1:8080 --no-browser`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if maxMB <= 0 {
				return usagef("--max-upload %d: want a number of megabytes above 0", maxMB)
			}
			srv, err := serve.Listen(serve.Options{Addr: addr, MaxUpload: maxMB << 20})
			var ae *serve.AddrError
			if errors.As(err, &ae) {
				return usagef("%v", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "dpnkit's page is at\n\n  %s\n\nKeep this window open while you use it; press Ctrl-C or close it to stop.\n", srv.URL())
			if !noBrowser {
				if err := serve.OpenBrowser(srv.URL()); err != nil {
					fmt.Fprintf(s.Err, "dpnkit: could not open a browser (%v): open the address above in one\n", err)
				}
			}
			return srv.Serve(cmd.Context())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "", "listen on this loopback host:port (default 127.0.0.1 on a free port)")
	fl.BoolVar(&noBrowser, "no-browser", false, "print the address but open no browser")
	fl.Int64Var(&maxMB, "max-upload", serve.DefaultMaxUpload>>20, "largest upload the page takes at once, in MB")
	return cmd
}

// doubleClickArgs is the command line to run: on Windows a dpnkit started
// with no arguments was most likely double-clicked, and gets the web page.
func doubleClickArgs(goos string, args []string) []string {
	if goos == "windows" && len(args) == 0 {
		return []string{"serve"}
	}
	return args
}
