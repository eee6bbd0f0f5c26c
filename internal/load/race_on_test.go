//go:build race

package load

// slowdown stretches the limit tests' time bounds under the race detector,
// which runs this code many times slower; the bounds catch a refusal that
// comes too late, not the detector's overhead.
const slowdown = 20
