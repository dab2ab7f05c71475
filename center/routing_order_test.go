package center_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/agentapi"
)

// Scenarios of the selection algorithm (connect-semantics §3.3): which
// contact an agent gets first, and which agent gets a contact.

// TestQueuePriorityOrdersContacts: UpdateContactRoutingData's QueuePriority
// beats arrival order, lower first; equal priorities keep arrival order.
func TestQueuePriorityOrdersContacts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")

	a := w.task("a")
	w.Clock.Advance(time.Second)
	b := w.task("b")
	w.Clock.Advance(time.Second)
	c := w.task("c")
	w.Clock.Advance(time.Second)
	d := w.task("d")
	w.priority(c, 1)
	w.priority(b, 3)
	w.priority(d, 3)

	if got := w.describe(c); aws.ToInt64(got.QueuePriority) != 1 {
		t.Fatalf("QueuePriority of c = %v, want 1", got.QueuePriority)
	}
	w.setStatus(ada, w.available)
	var order []string
	for range 4 {
		order = append(order, w.serve("ada", token))
	}
	if want := []string{c, b, d, a}; !equal(order, want) {
		t.Fatalf("served %v, want %v (c prio 1, b and d prio 3 in arrival order, a default 5)", order, want)
	}
}

// TestQueueTimeAdjustmentReorders: a positive QueueTimeAdjustmentSeconds
// makes a contact look older and moves it ahead, but its
// EnqueueTimestamp stays when it really entered the queue.
func TestQueueTimeAdjustmentReorders(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")

	a := w.task("a") // enqueued at 0 s
	w.Clock.Advance(10 * time.Second)
	b := w.task("b") // 10 s
	w.Clock.Advance(10 * time.Second)
	c := w.task("c") // 20 s
	w.adjust(c, 25)  // routing age as if enqueued at -5 s: ahead of a
	w.adjust(a, -15) // as if enqueued at 15 s: behind b

	got := w.describe(c)
	if got.QueueInfo == nil || !got.QueueInfo.EnqueueTimestamp.Equal(at(20*time.Second)) {
		t.Fatalf("EnqueueTimestamp of c = %+v, want %s unchanged by the adjustment", got.QueueInfo, at(20*time.Second))
	}
	if aws.ToInt32(got.QueueTimeAdjustmentSeconds) != 25 {
		t.Fatalf("QueueTimeAdjustmentSeconds = %v, want 25", got.QueueTimeAdjustmentSeconds)
	}
	w.setStatus(ada, w.available)
	var order []string
	for range 3 {
		order = append(order, w.serve("ada", token))
	}
	if want := []string{c, b, a}; !equal(order, want) {
		t.Fatalf("served %v, want %v", order, want)
	}
	if got := w.describe(c); !got.QueueInfo.EnqueueTimestamp.Equal(at(20 * time.Second)) {
		t.Fatalf("EnqueueTimestamp after routing = %v", got.QueueInfo.EnqueueTimestamp)
	}
}

// TestProfilePriorityDominates: an agent whose profile has queue 1 at
// priority 1 and queue 2 at priority 2 takes a younger contact of queue 1
// before an older one of queue 2.
func TestProfilePriorityDominates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q1, q2 := w.newQueue("first", 0), w.newQueue("second", 0)
	rp := w.newProfile("two queues", []mc{{channel: types.ChannelTask, slots: 1}},
		[]qc{{queue: q1, channel: types.ChannelTask, priority: 1}, {queue: q2, channel: types.ChannelTask, priority: 2}})
	ada, token := w.agentOn("ada", rp)
	f1, f2 := w.queueFlow("to first", q1), w.queueFlow("to second", q2)

	old := w.taskOn(f2, "old in second")
	w.Clock.Advance(time.Minute)
	young := w.taskOn(f1, "young in first")
	if got := w.describe(old); got.QueueInfo == nil || *got.QueueInfo.Id != q2 {
		t.Fatalf("flow did not queue the task in the second queue: %+v", got.QueueInfo)
	}
	w.setStatus(ada, w.available)
	if got := w.serve("ada", token); got != young {
		t.Fatalf("first served %s, want the priority-1 queue's %s", got, young)
	}
	if got := w.serve("ada", token); got != old {
		t.Fatalf("then served %s, want %s", got, old)
	}
}

// TestProfileQueueDelay: with a 30 s delay on the priority-1 queue, its
// contact is not offered before it has waited 30 s; meanwhile the agent
// takes the priority-2 queue's contact, since the delay makes the first
// queue have no eligible contact.
func TestProfileQueueDelay(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q1, q2 := w.newQueue("first", 0), w.newQueue("second", 0)
	rp := w.newProfile("delayed", []mc{{channel: types.ChannelTask, slots: 1}},
		[]qc{{queue: q1, channel: types.ChannelTask, priority: 1, delay: 30}, {queue: q2, channel: types.ChannelTask, priority: 2}})
	ada, token := w.agentOn("ada", rp)
	f1, f2 := w.queueFlow("to first", q1), w.queueFlow("to second", q2)
	w.setStatus(ada, w.available)

	delayed := w.taskOn(f1, "delayed") // enqueued at 0 s
	w.expectHeld("ada", token)
	w.Clock.Advance(5 * time.Second)
	other := w.taskOn(f2, "other")
	w.expectHeld("ada", token, other, "CONNECTING")
	w.act(token, other, "accept", 204)
	w.act(token, other, "end", 204)
	w.act(token, other, "complete", 204)
	w.expectHeld("ada", token) // at 5 s the delayed task is still too young

	w.Clock.Advance(24 * time.Second) // 29 s
	w.expectHeld("ada", token)
	w.Clock.Advance(time.Second) // 30 s
	s := w.snapshot(token)
	if len(s.Contacts) != 1 || s.Contacts[0].ContactID != delayed || s.Contacts[0].State != agentapi.StateConnecting || !s.Contacts[0].StateSince.Equal(at(30*time.Second)) {
		t.Fatalf("at 30 s ada holds %+v, want %s offered at %s", s.Contacts, delayed, at(30*time.Second))
	}
}

// TestLongestIdleAgentWins: of three available agents, the one available
// the longest gets the contact; an agent who just freed a slot goes to the
// back.
func TestLongestIdleAgentWins(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada, bob, cy := w.user("ada"), w.user("bob"), w.user("cy")
	ta, tb, tc := w.login("ada"), w.login("bob"), w.login("cy")
	w.setStatus(bob, w.available) // 0 s
	w.Clock.Advance(5 * time.Second)
	w.setStatus(ada, w.available) // 5 s
	w.Clock.Advance(5 * time.Second)
	w.setStatus(cy, w.available) // 10 s
	w.Clock.Advance(10 * time.Second)

	first := w.task("first")
	w.expectHeld("bob", tb, first, "CONNECTING")
	w.act(tb, first, "accept", 204)
	w.act(tb, first, "end", 204)
	w.Clock.Advance(time.Second)
	w.act(tb, first, "complete", 204) // bob idle again from 21 s

	second := w.task("second")
	w.expectHeld("ada", ta, second, "CONNECTING")
	third := w.task("third")
	w.expectHeld("cy", tc, third, "CONNECTING")
	fourth := w.task("fourth")
	w.expectHeld("bob", tb, fourth, "CONNECTING")
}

// TestChatConcurrency: the basic profile's CHAT concurrency of 2 gets the
// agent two chats at once; the third waits until a slot is cleared.
func TestChatConcurrency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ada := w.user("ada")
	token := w.login("ada")
	w.setStatus(ada, w.available)

	c1, c2, c3 := w.chat("one"), w.chat("two"), w.chat("three")
	w.expectHeld("ada", token, c1, "CONNECTING", c2, "CONNECTING")
	s := w.snapshot(token)
	if slot := slotOf(s, "CHAT"); slot.Max != 2 || slot.Used != 2 {
		t.Fatalf("CHAT slots = %+v, want 2 of 2 used", slot)
	}
	w.act(token, c1, "accept", 204)
	w.act(token, c2, "accept", 204)
	w.act(token, c1, "end", 204)
	w.expectHeld("ada", token, c1, "ENDED", c2, "CONNECTED") // ACW keeps the slot
	w.act(token, c1, "complete", 204)
	w.expectHeld("ada", token, c2, "CONNECTED", c3, "CONNECTING")
	if c := w.describe(c3); c.QueueInfo == nil || !c.QueueInfo.EnqueueTimestamp.Equal(at(0)) {
		t.Fatalf("third chat's queue info %+v", c.QueueInfo)
	}
}

// TestCrossChannel: holding a chat, an agent whose CHAT concurrency is
// ROUTE_CURRENT_CHANNEL_ONLY gets no task; with ROUTE_ANY_CHANNEL on CHAT
// the task is offered alongside. Either way an idle agent gets any channel.
func TestCrossChannel(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	only := w.newProfile("current only", []mc{{channel: types.ChannelChat, slots: 1}, {channel: types.ChannelTask, slots: 1}},
		[]qc{{queue: w.queue, channel: types.ChannelChat, priority: 1}, {queue: w.queue, channel: types.ChannelTask, priority: 1}})
	anyCh := w.newProfile("any channel", []mc{{channel: types.ChannelChat, slots: 2, any: true}, {channel: types.ChannelTask, slots: 1, any: true}},
		[]qc{{queue: w.queue, channel: types.ChannelChat, priority: 1}, {queue: w.queue, channel: types.ChannelTask, priority: 1}})
	ada, ta := w.agentOn("ada", only)
	bob, tb := w.agentOn("bob", anyCh)

	w.setStatus(ada, w.available)
	chatA := w.chat("ada's chat")
	w.act(ta, chatA, "accept", 204)
	w.setStatus(bob, w.available)
	chatB := w.chat("bob's chat")
	w.act(tb, chatB, "accept", 204)

	// ada idled longer, but she is on a current-channel-only chat.
	task := w.task("a task")
	w.expectHeld("ada", ta, chatA, "CONNECTED")
	w.expectHeld("bob", tb, chatB, "CONNECTED", task, "CONNECTING")
	// A second task waits: bob's single TASK slot is taken, ada is blocked.
	task2 := w.task("another task")
	w.expectHeld("ada", ta, chatA, "CONNECTED")
	// ada's chat leaves ACW: she is idle and takes the task.
	w.act(ta, chatA, "end", 204)
	w.expectHeld("ada", ta, chatA, "ENDED")
	w.act(ta, chatA, "complete", 204)
	w.expectHeld("ada", ta, task2, "CONNECTING")
	// Holding a task (current channel only), ada gets no chat.
	w.act(ta, task2, "accept", 204)
	chat3 := w.chat("third chat")
	w.expectHeld("ada", ta, task2, "CONNECTED")
	w.expectHeld("bob", tb, chatB, "CONNECTED", task, "CONNECTING", chat3, "CONNECTING")
}

func slotOf(s agentapi.AgentSnapshot, ch string) agentapi.ChannelSlots {
	for _, sl := range s.Slots {
		if sl.Channel == ch {
			return sl
		}
	}
	return agentapi.ChannelSlots{}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
