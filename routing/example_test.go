package routing_test

import (
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/routing"
)

// A runtime feeds the engine state changes with its clock's time and acts
// on the offers it returns.
func Example() {
	e := routing.New()
	now := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

	agent := routing.AgentParams{
		ID:     "alice",
		Queues: []routing.QueueConfig{{QueueID: "support", Channel: routing.Voice, Priority: 1}},
	}
	agent.Concurrency[routing.Voice] = routing.Concurrency{Slots: 1}
	e.PutAgent(agent, now)
	e.SetRoutable("alice", true, now)

	r, _ := e.Enqueue(routing.ContactParams{ID: "call-1", QueueID: "support"}, now)
	for _, o := range r.Offers {
		fmt.Println("offer", o.ContactID, "to", o.AgentID)
	}
	e.Accept("call-1", now.Add(5*time.Second))
	// ... conversation and after-contact work ...
	e.Release("call-1", now.Add(5*time.Minute))
	// Output: offer call-1 to alice
}
