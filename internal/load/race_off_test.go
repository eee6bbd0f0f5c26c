//go:build !race

package load

// slowdown stretches the limit tests' time bounds (see race_on_test.go).
const slowdown = 1
