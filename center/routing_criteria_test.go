package center_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Scenarios of routing criteria (connect-semantics §3.4): who may join a
// step, how steps expire in virtual time and what DescribeContact shows.

// criteriaWorld has four agents on the basic profile with distinct
// proficiencies, all available and idle, so each expression below matches
// exactly one of them.
type criteriaWorld struct {
	*world
	ids, tokens map[string]string
}

func newCriteriaWorld(t *testing.T) *criteriaWorld {
	w := &criteriaWorld{world: newWorld(t), ids: map[string]string{}, tokens: map[string]string{}}
	w.attribute("Language", "English", "French")
	for _, name := range []string{"ada", "bob", "cy", "dan"} {
		w.ids[name] = w.user(name)
		w.tokens[name] = w.login(name)
	}
	w.proficiency(w.ids["ada"], "Language", "English", 5)
	w.proficiency(w.ids["ada"], "Language", "French", 1)
	w.proficiency(w.ids["bob"], "Language", "English", 3)
	w.proficiency(w.ids["cy"], "Language", "French", 4)
	return w
}

// whoHas returns the agents holding the contact in any state.
func (w *criteriaWorld) whoHas(contact string) []string {
	w.t.Helper()
	var out []string
	for _, name := range []string{"ada", "bob", "cy", "dan"} {
		for _, c := range w.snapshot(w.tokens[name]).Contacts {
			if c.ContactID == contact {
				out = append(out, name+":"+string(c.State))
			}
		}
	}
	return out
}

// TestCriteriaExpressions: each kind of expression, set by
// UpdateContactRoutingData on a waiting task, routes to the one agent it
// matches, and the step it joined shows JOINED.
func TestCriteriaExpressions(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	cases := []struct {
		name string
		expr func() types.Expression
		want string
	}{
		{"at least English 4", func() types.Expression { return atLeast("Language", "English", 4) }, "ada"},
		{"English in 2..3", func() types.Expression { return between("Language", "English", 2, 3) }, "bob"},
		{"preferred cy", func() types.Expression { return preferred(w.ids["cy"]) }, "cy"},
		{"neither English nor French", func() types.Expression {
			return types.Expression{AndExpression: []types.Expression{
				{NotAttributeCondition: atLeast("Language", "English", 1).AttributeCondition},
				{NotAttributeCondition: atLeast("Language", "French", 1).AttributeCondition}}}
		}, "dan"},
		{"English and French", func() types.Expression {
			return types.Expression{AndExpression: []types.Expression{atLeast("Language", "English", 1), atLeast("Language", "French", 1)}}
		}, "ada"},
		{"French 5 or English exactly 3", func() types.Expression {
			return types.Expression{OrExpression: []types.Expression{atLeast("Language", "French", 5), between("Language", "English", 3, 3)}}
		}, "bob"},
	}
	for i, tc := range cases {
		// Agents offline while the criteria are set, so that the task is
		// not routed to whoever idles longest before the criteria apply.
		for _, id := range w.ids {
			w.setStatus(id, w.offline)
		}
		id := w.task(fmt.Sprintf("case %d", i))
		w.criteria(id, step(0, tc.expr()))
		for _, uid := range w.ids {
			w.setStatus(uid, w.available)
		}
		got := w.whoHas(id)
		if len(got) != 1 || got[0] != tc.want+":CONNECTING" {
			t.Fatalf("%s: held by %v, want %s:CONNECTING", tc.name, got, tc.want)
		}
		tok := w.tokens[tc.want]
		w.act(tok, id, "accept", 204)
		if st := stepStatuses(w.describe(id)); !equal(st, []string{"JOINED"}) {
			t.Fatalf("%s: step statuses %v, want [JOINED]", tc.name, st)
		}
		w.act(tok, id, "end", 204)
		w.act(tok, id, "complete", 204)
		w.Clock.Advance(time.Second)
	}
}

// criteriaFlowSteps is a Set routing criteria action with two 30 s steps:
// English >= 4, then English >= 2.
func criteriaFlowSteps() string {
	return action("crit", "UpdateRoutingCriteria", map[string]any{"RoutingCriteria": map[string]any{"Steps": []any{
		map[string]any{"Expression": map[string]any{"AttributeCondition": map[string]any{"Name": "Language", "Value": "English", "ProficiencyLevel": "4", "ComparisonOperator": "NumberGreaterOrEqualTo"}},
			"Expiry": map[string]any{"DurationInSeconds": "30"}},
		map[string]any{"Expression": map[string]any{"AttributeCondition": map[string]any{"Name": "Language", "Value": "English", "ProficiencyLevel": "2", "ComparisonOperator": "NumberGreaterOrEqualTo"}},
			"Expiry": map[string]any{"DurationInSeconds": "30"}},
	}}}, next("setq"))
}

// TestCriteriaStepExpiryFromFlow: a flow sets two 30 s steps. With the only
// English-4 agent offline, nothing happens for 30 s; then step 1 is EXPIRED,
// step 2 ACTIVE and bob (English 3) is offered the task although cy, with no
// proficiency, has idled longer. Accepting joins step 2.
func TestCriteriaStepExpiryFromFlow(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	flow := w.queueFlow("criteria", w.queue, criteriaFlowSteps())
	w.setStatus(w.ids["cy"], w.available)
	w.setStatus(w.ids["dan"], w.available)
	w.setStatus(w.ids["bob"], w.available)

	id := w.taskOn(flow, "expiring")
	c := w.describe(id)
	if st := stepStatuses(c); !equal(st, []string{"ACTIVE", "INACTIVE"}) {
		t.Fatalf("at 0 s steps %v, want [ACTIVE INACTIVE]", st)
	}
	if rc := c.RoutingCriteria; rc.ActivationTimestamp == nil || !rc.ActivationTimestamp.Equal(at(0)) || aws.ToInt32(rc.Index) != 0 {
		t.Fatalf("criteria activation %v index %v, want %s and 0", rc.ActivationTimestamp, rc.Index, at(0))
	}
	if e := c.RoutingCriteria.Steps[0].Expiry; e == nil || e.ExpiryTimestamp == nil || !e.ExpiryTimestamp.Equal(at(30*time.Second)) {
		t.Fatalf("step 1 expiry %+v, want %s", e, at(30*time.Second))
	}
	w.Clock.Advance(29 * time.Second)
	if got := w.whoHas(id); len(got) != 0 {
		t.Fatalf("at 29 s offered to %v", got)
	}
	w.Clock.Advance(time.Second)
	c = w.describe(id)
	if st := stepStatuses(c); !equal(st, []string{"EXPIRED", "ACTIVE"}) {
		t.Fatalf("at 30 s steps %v, want [EXPIRED ACTIVE]", st)
	}
	if e := c.RoutingCriteria.Steps[1].Expiry; e == nil || e.ExpiryTimestamp == nil || !e.ExpiryTimestamp.Equal(at(60*time.Second)) {
		t.Fatalf("step 2 expiry %+v, want %s", e, at(60*time.Second))
	}
	if got := w.whoHas(id); !equal(got, []string{"bob:CONNECTING"}) {
		t.Fatalf("at 30 s held by %v, want bob offered", got)
	}
	w.act(w.tokens["bob"], id, "accept", 204)
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"EXPIRED", "JOINED"}) {
		t.Fatalf("after accept steps %v, want [EXPIRED JOINED]", st)
	}
	// The joined contact does not expire further in virtual time.
	w.Clock.Advance(time.Minute)
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"EXPIRED", "JOINED"}) {
		t.Fatalf("a minute later steps %v, want [EXPIRED JOINED]", st)
	}
}

// TestCriteriaAllExpiredAnyAgent: once every step expired, any agent of the
// queue may take the contact.
func TestCriteriaAllExpiredAnyAgent(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	flow := w.queueFlow("criteria", w.queue, criteriaFlowSteps())
	w.setStatus(w.ids["dan"], w.available)

	id := w.taskOn(flow, "nobody qualifies")
	w.Clock.Advance(59 * time.Second)
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"EXPIRED", "ACTIVE"}) {
		t.Fatalf("at 59 s steps %v", st)
	}
	if got := w.whoHas(id); len(got) != 0 {
		t.Fatalf("at 59 s held by %v", got)
	}
	w.Clock.Advance(time.Second)
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"EXPIRED", "EXPIRED"}) {
		t.Fatalf("at 60 s steps %v, want all EXPIRED", st)
	}
	if got := w.whoHas(id); !equal(got, []string{"dan:CONNECTING"}) {
		t.Fatalf("at 60 s held by %v, want dan offered", got)
	}
	w.act(w.tokens["dan"], id, "accept", 204)
	if c := w.describe(id); c.AgentInfo == nil || *c.AgentInfo.Id != w.ids["dan"] || !c.AgentInfo.ConnectedToAgentTimestamp.Equal(at(60*time.Second)) {
		t.Fatalf("AgentInfo %+v", c.AgentInfo)
	}
}

// TestCriteriaWithoutExpiryWaits: a step with no expiry never falls back,
// however long the contact waits with other agents free; it goes to the
// first agent who matches.
func TestCriteriaWithoutExpiryWaits(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	id := w.task("needs English 5")
	w.criteria(id, step(0, atLeast("Language", "English", 5)))
	for _, n := range []string{"bob", "cy", "dan"} {
		w.setStatus(w.ids[n], w.available)
	}
	w.Clock.Advance(2 * time.Hour)
	if got := w.whoHas(id); len(got) != 0 {
		t.Fatalf("two hours later held by %v", got)
	}
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"ACTIVE"}) {
		t.Fatalf("steps %v, want [ACTIVE]", st)
	}
	// bob is trained up: the proficiency change alone routes the task.
	_, err := w.Client.UpdateUserProficiencies(sbtest.Ctx(t), &connect.UpdateUserProficienciesInput{InstanceId: &w.iid, UserId: aws.String(w.ids["bob"]),
		UserProficiencies: []types.UserProficiency{{AttributeName: aws.String("Language"), AttributeValue: aws.String("English"), Level: aws.Float32(5)}}})
	must(t, err)
	if got := w.whoHas(id); !equal(got, []string{"bob:CONNECTING"}) {
		t.Fatalf("after bob's new level held by %v", got)
	}
}

// TestCriteriaReplacedGetsNextIndex: setting criteria again replaces them,
// with Index 1 and a fresh activation.
func TestCriteriaReplacedGetsNextIndex(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	id := w.task("twice")
	w.criteria(id, step(10, atLeast("Language", "English", 5)))
	w.Clock.Advance(5 * time.Second)
	w.criteria(id, step(10, atLeast("Language", "French", 5)), step(0, preferred(w.ids["cy"])))
	c := w.describe(id)
	rc := c.RoutingCriteria
	if aws.ToInt32(rc.Index) != 1 || !rc.ActivationTimestamp.Equal(at(5*time.Second)) || !equal(stepStatuses(c), []string{"ACTIVE", "INACTIVE"}) {
		t.Fatalf("replaced criteria index %v activation %v steps %v", rc.Index, rc.ActivationTimestamp, stepStatuses(c))
	}
	// The old 10 s expiry (at 10 s) must not fire on the new criteria.
	w.Clock.Advance(6 * time.Second) // 11 s
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"ACTIVE", "INACTIVE"}) {
		t.Fatalf("at 11 s steps %v, want the new step 1 still ACTIVE", st)
	}
	w.Clock.Advance(4 * time.Second) // 15 s
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"EXPIRED", "ACTIVE"}) {
		t.Fatalf("at 15 s steps %v, want [EXPIRED ACTIVE]", st)
	}
	w.setStatus(w.ids["ada"], w.available)
	w.setStatus(w.ids["cy"], w.available)
	if got := w.whoHas(id); !equal(got, []string{"cy:CONNECTING"}) {
		t.Fatalf("held by %v, want cy (preferred)", got)
	}
}

// TestCriteriaChangedWhileOffered: criteria set while the contact is on
// offer to an agent they exclude take the offer back, and the contact waits
// for an agent they match, instead of keeping its old (empty) criteria in
// the engine while DescribeContact shows the new ones.
func TestCriteriaChangedWhileOffered(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	w.setStatus(w.ids["dan"], w.available)
	id := w.task("offered to dan")
	if got := w.whoHas(id); !equal(got, []string{"dan:CONNECTING"}) {
		t.Fatalf("held by %v, want dan offered", got)
	}
	w.criteria(id, step(0, atLeast("Language", "French", 4)))
	if got := w.whoHas(id); len(got) != 0 {
		t.Fatalf("after criteria that exclude dan, held by %v; want the offer withdrawn", got)
	}
	if c := w.describe(id); c.QueueInfo == nil || !c.QueueInfo.EnqueueTimestamp.Equal(at(0)) || !equal(stepStatuses(c), []string{"ACTIVE"}) {
		t.Fatalf("contact after withdrawal: queue %+v steps %v", c.QueueInfo, stepStatuses(c))
	}
	// dan is still available (he did not miss anything) but does not match;
	// cy does.
	w.Clock.Advance(time.Minute)
	w.setStatus(w.ids["cy"], w.available)
	if got := w.whoHas(id); !equal(got, []string{"cy:CONNECTING"}) {
		t.Fatalf("held by %v, want cy offered", got)
	}
	w.act(w.tokens["cy"], id, "accept", 204)
	if st := stepStatuses(w.describe(id)); !equal(st, []string{"JOINED"}) {
		t.Fatalf("steps %v, want [JOINED]", st)
	}
}

// TestPriorityChangeKeepsStepExpiry: changing only the QueuePriority of a
// contact with criteria must not restart its steps: step 1 still expires 30 s
// after activation, as its ExpiryTimestamp says.
func TestPriorityChangeKeepsStepExpiry(t *testing.T) {
	t.Parallel()
	w := newCriteriaWorld(t)
	w.setStatus(w.ids["dan"], w.available)
	id := w.task("prioritised")
	// dan has it on offer at once (no criteria yet); let him miss it and come back.
	w.act(w.tokens["dan"], id, "reject", 204)
	w.criteria(id, step(30, atLeast("Language", "English", 5)))
	w.setStatus(w.ids["dan"], w.offline)
	w.setStatus(w.ids["dan"], w.available)
	w.Clock.Advance(20 * time.Second)
	w.priority(id, 1)
	w.Clock.Advance(10 * time.Second) // 30 s
	c := w.describe(id)
	if st := stepStatuses(c); !equal(st, []string{"EXPIRED"}) {
		t.Fatalf("at 30 s steps %v, want [EXPIRED]", st)
	}
	if got := w.whoHas(id); !equal(got, []string{"dan:CONNECTING"}) {
		t.Fatalf("at 30 s held by %v, want dan offered after the expiry", got)
	}
}
