// Package archtest holds no code: its tests keep the module's shape. They
// list every package with `go list` and fail when a package depends on one
// its rule forbids, when a package has no rule, and when
// docs/architecture.md's package map no longer matches the packages and
// their imports, and when a function outside the tests is over 80 lines
// without a "Long: <why it cannot be split>" line in its doc comment.
package archtest
