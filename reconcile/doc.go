// Package reconcile matches TIS placements against the DPN positions of a
// finished position check (package checks): each placement's match,
// export and issue, the placement rules (Catalogue) with their "did you
// mean" suggestions (SuggestIndex), and every placement row accounted for
// (Rows). docs/reconcile.md describes the steps and the rules.
package reconcile
