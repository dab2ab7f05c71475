package center_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/agentapi"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// Helpers for the routing scenarios. They build on center_test.go's world
// and keep each scenario to the decisions it checks: resources are created
// through the SDK, agents act through the agent API over HTTP.

// basicHours returns the instance's default hours of operation.
func (w *world) basicHours() string {
	w.t.Helper()
	out, err := w.Client.ListHoursOfOperations(sbtest.Ctx(w.t), &connect.ListHoursOfOperationsInput{InstanceId: &w.iid})
	must(w.t, err)
	return *out.HoursOfOperationSummaryList[0].Id
}

// newQueue creates a standard queue on the basic hours; maxContacts 0
// leaves it unbounded.
func (w *world) newQueue(name string, maxContacts int32) string {
	w.t.Helper()
	return w.newQueueHours(name, w.basicHours(), maxContacts)
}

func (w *world) newQueueHours(name, hours string, maxContacts int32) string {
	w.t.Helper()
	in := &connect.CreateQueueInput{InstanceId: &w.iid, Name: aws.String(name), HoursOfOperationId: aws.String(hours)}
	if maxContacts > 0 {
		in.MaxContacts = aws.Int32(maxContacts)
	}
	out, err := w.Client.CreateQueue(sbtest.Ctx(w.t), in)
	must(w.t, err)
	return *out.QueueId
}

// qc is one queue of a routing profile.
type qc struct {
	queue    string
	channel  types.Channel
	priority int32
	delay    int32
}

// mc is one channel's media concurrency.
type mc struct {
	channel types.Channel
	slots   int32
	any     bool // ROUTE_ANY_CHANNEL
}

// newProfile creates a routing profile.
func (w *world) newProfile(name string, mcs []mc, qcs []qc) string {
	w.t.Helper()
	in := &connect.CreateRoutingProfileInput{InstanceId: &w.iid, Name: aws.String(name), Description: aws.String(name),
		DefaultOutboundQueueId: aws.String(w.queue)}
	for _, m := range mcs {
		b := types.BehaviorTypeRouteCurrentChannelOnly
		if m.any {
			b = types.BehaviorTypeRouteAnyChannel
		}
		in.MediaConcurrencies = append(in.MediaConcurrencies, types.MediaConcurrency{Channel: m.channel, Concurrency: aws.Int32(m.slots),
			CrossChannelBehavior: &types.CrossChannelBehavior{BehaviorType: b}})
	}
	for _, q := range qcs {
		in.QueueConfigs = append(in.QueueConfigs, types.RoutingProfileQueueConfig{
			QueueReference: &types.RoutingProfileQueueReference{QueueId: aws.String(q.queue), Channel: q.channel},
			Priority:       aws.Int32(q.priority), Delay: aws.Int32(q.delay)})
	}
	out, err := w.Client.CreateRoutingProfile(sbtest.Ctx(w.t), in)
	must(w.t, err)
	return *out.RoutingProfileId
}

// agentOn creates a user on a routing profile, logs them in and returns the
// user ID and the agent API token. The user starts Offline.
func (w *world) agentOn(name, profile string) (string, string) {
	w.t.Helper()
	out, err := w.Client.CreateUser(sbtest.Ctx(w.t), &connect.CreateUserInput{
		InstanceId: &w.iid, Username: aws.String(name), Password: aws.String("Passw0rd!"),
		IdentityInfo:     &types.UserIdentityInfo{FirstName: aws.String(name), LastName: aws.String("Agent")},
		PhoneConfig:      &types.UserPhoneConfig{PhoneType: types.PhoneTypeSoftPhone},
		RoutingProfileId: &profile, SecurityProfileIds: []string{w.agt},
	})
	must(w.t, err)
	return *out.UserId, w.login(name)
}

// attribute creates a predefined attribute with string values.
func (w *world) attribute(name string, values ...string) {
	w.t.Helper()
	_, err := w.Client.CreatePredefinedAttribute(sbtest.Ctx(w.t), &connect.CreatePredefinedAttributeInput{InstanceId: &w.iid, Name: aws.String(name),
		Values: &types.PredefinedAttributeValuesMemberStringList{Value: values}})
	must(w.t, err)
}

// proficiency gives a user a proficiency at a level.
func (w *world) proficiency(user, name, value string, level float32) {
	w.t.Helper()
	_, err := w.Client.AssociateUserProficiencies(sbtest.Ctx(w.t), &connect.AssociateUserProficienciesInput{InstanceId: &w.iid, UserId: &user,
		UserProficiencies: []types.UserProficiency{{AttributeName: aws.String(name), AttributeValue: aws.String(value), Level: aws.Float32(level)}}})
	must(w.t, err)
}

// newFlow creates a published CONTACT_FLOW from its JSON actions.
func (w *world) newFlow(name string, actions ...string) string {
	w.t.Helper()
	content := `{"Version":"2019-10-30","StartAction":"` + firstID(actions[0]) + `","Metadata":{},"Actions":[` + strings.Join(actions, ",") + `]}`
	out, err := w.Client.CreateContactFlow(sbtest.Ctx(w.t), &connect.CreateContactFlowInput{InstanceId: &w.iid, Name: aws.String(name),
		Type: types.ContactFlowTypeContactFlow, Content: aws.String(content)})
	must(w.t, err)
	return *out.ContactFlowId
}

func firstID(action string) string {
	var a struct{ Identifier string }
	if err := json.Unmarshal([]byte(action), &a); err != nil {
		panic(fmt.Sprintf("bad action %s: %v", action, err))
	}
	return a.Identifier
}

// act renders one flow action.
func action(id, typ string, params any, transitions string) string {
	p, _ := json.Marshal(params)
	if transitions == "" {
		transitions = "{}"
	}
	return fmt.Sprintf(`{"Identifier":%q,"Type":%q,"Parameters":%s,"Transitions":%s}`, id, typ, p, transitions)
}

func next(id string) string {
	return fmt.Sprintf(`{"NextAction":%q,"Errors":[{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`, id)
}

// queueActions end a flow by placing the contact in queue (or disconnecting
// when it cannot): setq → xfer, with "bye" as every error's way out.
func queueActions(queue string) []string {
	return []string{
		action("setq", "UpdateContactTargetQueue", map[string]string{"QueueId": queue}, next("xfer")),
		action("xfer", "TransferContactToQueue", map[string]string{}, `{"NextAction":"bye","Errors":[{"NextAction":"bye","ErrorType":"QueueAtCapacity"},{"NextAction":"bye","ErrorType":"NoMatchingError"}]}`),
		action("bye", "DisconnectParticipant", map[string]string{}, ""),
	}
}

// queueFlow is a flow that runs pre, then queues the contact in queue.
func (w *world) queueFlow(name, queue string, pre ...string) string {
	w.t.Helper()
	return w.newFlow(name, append(pre, queueActions(queue)...)...)
}

// taskOn starts a task in a flow.
func (w *world) taskOn(flow, name string) string {
	w.t.Helper()
	out, err := w.Client.StartTaskContact(sbtest.Ctx(w.t), &connect.StartTaskContactInput{InstanceId: &w.iid, ContactFlowId: &flow, Name: &name})
	must(w.t, err)
	return *out.ContactId
}

// held returns the agent's contacts as "id:STATE", sorted, for exact
// comparisons.
func (w *world) held(token string) []string {
	w.t.Helper()
	var out []string
	for _, c := range w.snapshot(token).Contacts {
		out = append(out, c.ContactID+":"+string(c.State))
	}
	sort.Strings(out)
	return out
}

// expectHeld asserts the agent holds exactly these contacts in these states
// (pairs of id, state).
func (w *world) expectHeld(who, token string, pairs ...string) {
	w.t.Helper()
	var want []string
	for i := 0; i+1 < len(pairs); i += 2 {
		want = append(want, pairs[i]+":"+pairs[i+1])
	}
	sort.Strings(want)
	if got := w.held(token); !slices.Equal(got, want) {
		w.t.Fatalf("%s holds %v, want %v", who, got, want)
	}
}

// offeredTo returns the single contact offered to the agent, failing when
// there is not exactly one offer.
func (w *world) offeredTo(who, token string) string {
	w.t.Helper()
	var ids []string
	for _, c := range w.snapshot(token).Contacts {
		if c.State == agentapi.StateConnecting {
			ids = append(ids, c.ContactID)
		}
	}
	if len(ids) != 1 {
		w.t.Fatalf("%s has offers %v, want exactly one", who, ids)
	}
	return ids[0]
}

// serve accepts, ends and completes the agent's one offer and returns it.
func (w *world) serve(who, token string) string {
	w.t.Helper()
	id := w.offeredTo(who, token)
	w.act(token, id, "accept", 204)
	w.act(token, id, "end", 204)
	w.act(token, id, "complete", 204)
	return id
}

func (w *world) priority(contact string, p int64) {
	w.t.Helper()
	_, err := w.Client.UpdateContactRoutingData(sbtest.Ctx(w.t), &connect.UpdateContactRoutingDataInput{InstanceId: &w.iid, ContactId: &contact, QueuePriority: aws.Int64(p)})
	must(w.t, err)
}

func (w *world) adjust(contact string, seconds int32) {
	w.t.Helper()
	_, err := w.Client.UpdateContactRoutingData(sbtest.Ctx(w.t), &connect.UpdateContactRoutingDataInput{InstanceId: &w.iid, ContactId: &contact, QueueTimeAdjustmentSeconds: aws.Int32(seconds)})
	must(w.t, err)
}

func (w *world) criteria(contact string, steps ...types.RoutingCriteriaInputStep) {
	w.t.Helper()
	_, err := w.Client.UpdateContactRoutingData(sbtest.Ctx(w.t), &connect.UpdateContactRoutingDataInput{InstanceId: &w.iid, ContactId: &contact,
		RoutingCriteria: &types.RoutingCriteriaInput{Steps: steps}})
	must(w.t, err)
}

// step builds a routing-criteria step; expiry 0 means none.
func step(expiry int32, x types.Expression) types.RoutingCriteriaInputStep {
	s := types.RoutingCriteriaInputStep{Expression: &x}
	if expiry > 0 {
		s.Expiry = &types.RoutingCriteriaInputStepExpiry{DurationInSeconds: aws.Int32(expiry)}
	}
	return s
}

func atLeast(name, value string, level float32) types.Expression {
	return types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String(name), Value: aws.String(value),
		ComparisonOperator: aws.String("NumberGreaterOrEqualTo"), ProficiencyLevel: aws.Float32(level)}}
}

func between(name, value string, lo, hi float32) types.Expression {
	return types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String(name), Value: aws.String(value),
		ComparisonOperator: aws.String("Range"), Range: &types.Range{MinProficiencyLevel: aws.Float32(lo), MaxProficiencyLevel: aws.Float32(hi)}}}
}

func preferred(agents ...string) types.Expression {
	return types.Expression{AttributeCondition: &types.AttributeCondition{ComparisonOperator: aws.String("Match"),
		MatchCriteria: &types.MatchCriteria{AgentsCriteria: &types.AgentsCriteria{AgentIds: agents}}}}
}

// stepStatuses renders a contact's routing steps' statuses.
func stepStatuses(c *types.Contact) []string {
	if c.RoutingCriteria == nil {
		return nil
	}
	var out []string
	for _, s := range c.RoutingCriteria.Steps {
		out = append(out, string(s.Status))
	}
	return out
}

// at is the virtual time d after the server's start.
func at(d time.Duration) time.Time { return sbtest.Start.Add(d) }

// userConfig sets a user's auto-accept and ACW time limit for a channel.
func (w *world) userConfig(user string, ch types.Channel, autoAccept bool, acwSeconds int32) {
	w.t.Helper()
	_, err := w.Client.UpdateUserConfig(sbtest.Ctx(w.t), &connect.UpdateUserConfigInput{InstanceId: &w.iid, UserId: &user,
		AutoAcceptConfigs:       []types.AutoAcceptConfig{{Channel: ch, AutoAccept: autoAccept}},
		AfterContactWorkConfigs: []types.AfterContactWorkConfigPerChannel{{Channel: ch, AfterContactWorkConfig: &types.AfterContactWorkConfig{AfterContactWorkTimeLimit: acwSeconds}}}})
	must(w.t, err)
}

// chat starts a chat in the instance's default inbound flow.
func (w *world) chat(name string) string {
	w.t.Helper()
	return w.chatOn(w.flow, name)
}

func (w *world) chatOn(flow, name string) string {
	w.t.Helper()
	out, err := w.Client.StartChatContact(sbtest.Ctx(w.t), &connect.StartChatContactInput{InstanceId: &w.iid, ContactFlowId: &flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String(name)}})
	must(w.t, err)
	return *out.ContactId
}

// agentStatus sets the agent's status through the agent API, as the agent
// does (SetStatus), rather than as a supervisor (PutUserStatus).
func (w *world) agentStatus(token, status string) {
	w.t.Helper()
	code, out := w.agentAPI("PUT", "/agent/v1/instances/"+w.iid+"/status", token, map[string]string{"statusId": status})
	if code != 204 {
		w.t.Fatalf("set status: %d %v", code, out)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
