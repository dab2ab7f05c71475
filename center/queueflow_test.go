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

// flowDoc creates a published flow from JSON and returns its ID.
func (w *world) flowDoc(name string, typ types.ContactFlowType, content string) string {
	w.t.Helper()
	out, err := w.Client.CreateContactFlow(sbtest.Ctx(w.t), &connect.CreateContactFlowInput{InstanceId: &w.iid, Name: aws.String(name), Type: typ, Content: aws.String(content)})
	must(w.t, err)
	return *out.ContactFlowId
}

const waitThen = `{"Identifier":%q,"Type":"Wait","Parameters":{"TimeoutSeconds":"60"},
 "Transitions":{"NextAction":%q,"Conditions":[{"NextAction":%q,"Condition":{"Operator":"Equals","Operands":["WaitCompleted"]}}],
 "Errors":[{"NextAction":%q,"ErrorType":"NoMatchingError"}]}}`

// TestCustomerQueueFlow: an inbound flow sets a customer queue flow that,
// while the task waits, gives up after two minutes; an agent taking the
// contact stops it. (Changing the routing priority is for inbound flows
// only, flow-language.md says.)
func TestCustomerQueueFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cq := w.flowDoc("escalate", types.ContactFlowTypeCustomerQueue, `{"Version":"2019-10-30","StartAction":"w1","Actions":[`+
		fmt.Sprintf(waitThen, "w1", "w2", "w2", "w2")+`,`+
		fmt.Sprintf(waitThen, "w2", "bye", "bye", "bye")+`,
 {"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`)
	inbound := w.flowDoc("with escalation", types.ContactFlowTypeContactFlow, fmt.Sprintf(`{"Version":"2019-10-30","StartAction":"q","Actions":[
 {"Identifier":"q","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":%q},"Transitions":{"NextAction":"h","Errors":[{"NextAction":"x","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"h","Type":"UpdateContactEventHooks","Parameters":{"EventHooks":{"CustomerQueue":%q}},"Transitions":{"NextAction":"t","Errors":[{"NextAction":"x","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"t","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"x","Errors":[{"NextAction":"x","ErrorType":"QueueAtCapacity"},{"NextAction":"x","ErrorType":"NoMatchingError"}]}},
 {"Identifier":"x","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, w.queue, cq))
	start := func(name string) string {
		out, err := w.Client.StartTaskContact(sbtest.Ctx(t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &inbound, Name: &name})
		must(t, err)
		return *out.ContactId
	}
	lone := start("nobody comes")
	if c := w.describe(lone); c.QueueInfo == nil || aws.ToInt64(c.QueuePriority) != 5 {
		t.Fatalf("not queued at priority 5: %+v %v", c.QueueInfo, aws.ToInt64(c.QueuePriority))
	}
	w.Clock.Advance(61 * time.Second)
	if c := w.describe(lone); c.DisconnectTimestamp != nil {
		t.Fatalf("ended after a minute: %v", c.DisconnectTimestamp)
	}
	w.Clock.Advance(60 * time.Second)
	c := w.describe(lone)
	if c.DisconnectTimestamp == nil || aws.ToString(c.DisconnectReason) != "CONTACT_FLOW_DISCONNECT" {
		t.Fatalf("after two minutes: disconnected %v reason %q", c.DisconnectTimestamp, aws.ToString(c.DisconnectReason))
	}

	// Taken by an agent within the minute: the queue flow stops.
	ada := w.user("ada")
	token := w.login("ada")
	taken := start("answered")
	w.Clock.Advance(30 * time.Second)
	w.setStatus(ada, w.available)
	w.act(token, taken, "accept", 204)
	w.Clock.Advance(5 * time.Minute)
	if c := w.describe(taken); c.DisconnectTimestamp != nil {
		t.Fatalf("queue flow kept running after accept: disconnected at %v", c.DisconnectTimestamp)
	}
}
