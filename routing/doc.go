// Package routing is Switchboard's routing engine: it decides which available
// agent gets which waiting contact, the way Amazon Connect does
// (shared/spec/connect-semantics.md §3), and can say why a contact is still
// waiting (Explain), which Connect cannot.
//
// The package is pure. It does no I/O, starts no goroutines and never reads
// the clock: the runtime feeds it state changes with the current time, and it
// answers with a Result holding the decisions (offers) and routing-step
// status changes to persist and publish, and the time it next needs Advance.
// Because time is an argument, tests and virtual clocks get exact, instant
// results.
//
// # Model
//
// An agent (PutAgent) has a routing profile (queue+channel, priority, delay),
// a media concurrency per channel with its cross-channel behaviour, an
// availability timer and proficiencies; SetRoutable says whether its status
// is routable. A slot is held from the offer until Release (the contact left
// after-contact work), or until Reject/Remove of the offer.
//
// A contact (Enqueue) waits in one queue+channel, or in an agent's agent
// queue (ContactParams.AgentID), with a QueuePriority, a
// QueueTimeAdjustment and optional routing-criteria steps.
//
// # Decisions
//
// The engine keeps one invariant: after every call, no waiting contact could
// be offered to any agent. Each change therefore needs only a local search:
//
//   - an agent gaining room (routable, slot freed, new profile) takes its best
//     contact: agent-queue contacts first, then its profile queues by
//     priority (a lower priority is looked at only when no higher one has an
//     eligible contact), and within a priority the lowest QueuePriority, then
//     the greatest routing age, then arrival order; repeated while it has room;
//   - a contact becoming routable (enqueued, returned by Reject, criteria
//     changed, step expired, a delay elapsed) goes to the eligible agent idle
//     longest.
//
// An agent is eligible for a contact when it is routable, serves the
// queue+channel, the queue's delay in its profile has passed (measured on
// real time in queue, not routing age), it has a free slot on the channel,
// no held contact on another ROUTE_CURRENT_CHANNEL_ONLY channel, and it
// matches the active routing step. Contacts that become eligible at the
// same instant are handled one at a time in timer order.
//
// # Routing criteria
//
// The first step is ACTIVE from activation (enqueue, or UpdateContact). A
// step with an expiry becomes EXPIRED at activation + the expiries so far and
// the next becomes ACTIVE; once all expired, any agent of the queue may take
// the contact. A step without expiry never falls back. A step does not
// expire while its contact is offered (a pending join); if the offer fails
// after the due time, the expiry is reported then, stamped with its due
// time. Accept marks the step the offer was made under JOINED.
//
// # Time
//
// Every method takes now and first processes timers due by then, in due
// order and each at its own time, as if the runtime had woken exactly then.
// A now earlier than a previous one is treated as the latest seen.
//
// # Concurrency
//
// An Engine is safe for concurrent use: one mutex serialises the methods.
// There is one lock and nothing is called under it, so there is no lock
// order to respect. Results are owned by the caller.
//
// # Cost
//
// Agents sit in per-queue+channel ready sets ordered by idle time, split by
// delay; contacts sit in per-queue+channel treaps ordered by (QueuePriority,
// enqueue − adjustment, sequence), split by active-step expression so that an
// agent evaluates each distinct expression once. A decision costs O(log n)
// per profile entry plus one evaluation per distinct active expression in
// the agent's queues; contacts whose step can only match named agents
// (Match) are looked up by agent. Skipped entries (contacts too young for the
// agent's delay, agents who fail a criteria step) are scanned, so their
// number bounds the rest. See BENCHMARKS.md.
package routing
