package report

import (
	"io"

	"dpnkit/checks"
	"dpnkit/internal/exchange"
	"dpnkit/reconcile"
)

// checkTerm, reconcileTerm and runTerm are the terminal summaries as the
// tests read them: not fitted to a width, without colour; top findings or
// exceptions (top < 0: all of them; 0: none).
func checkTerm(w io.Writer, res *checks.Result, meta Meta, top int) error {
	return Terminal(w, res, meta, Term{Top: top})
}

func reconcileTerm(w io.Writer, res *reconcile.Result, meta Meta, top int) error {
	return ReconcileTerminal(w, res, meta, Term{Top: top})
}

func runTerm(w io.Writer, r *exchange.Result, meta Meta) error {
	return RunTerminal(w, r, meta, Term{})
}
