package main

import (
	"testing"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestWalkthrough keeps the README's walkthrough working.
func TestWalkthrough(t *testing.T) {
	e := sbtest.New(t, sbtest.Options{})
	if err := walkthrough(sbtest.Ctx(t), e.Client); err != nil {
		t.Fatal(err)
	}
}
