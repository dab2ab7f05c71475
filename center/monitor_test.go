package center_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// monitorChat has supervisor sue monitor the chat id with capabilities,
// and returns the monitoring contact.
func (d *chatDesk) monitorChat(id, userID string, caps ...types.MonitorCapability) (string, error) {
	d.t.Helper()
	out, err := d.Raw.MonitorContact(sbtest.Ctx(d.t), &connect.MonitorContactInput{InstanceId: &d.iid, ContactId: &id, UserId: &userID,
		AllowedMonitorCapabilities: caps})
	if err != nil {
		return "", err
	}
	return *out.ContactId, nil
}

// monitors lists a supervisor's monitoring sessions through the agent API.
func (d *chatDesk) monitors(token string) []map[string]any {
	d.t.Helper()
	status, out := d.agentAPI("GET", "/agent/v1/instances/"+d.iid+"/monitoring", token, nil)
	if status != 200 {
		d.t.Fatalf("GET monitoring: %d %v", status, out)
	}
	var list []map[string]any
	for _, m := range out["monitors"].([]any) {
		list = append(list, m.(map[string]any))
	}
	return list
}

// TestMonitorChat: a supervisor monitors a chat silently (nobody sees
// them join, they read everything and cannot write), barges in (everyone
// sees them join, and they write), and their monitoring contact ends
// with the chat.
func TestMonitorChat(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	sue := d.user("sue")
	sueToken := d.login("sue")
	id, _, customer, seat := d.connected()
	agent := d.join(seat.ParticipantToken)

	mon, err := d.monitorChat(id, sue, types.MonitorCapabilitySilentMonitor, types.MonitorCapabilityBarge)
	if err != nil {
		t.Fatal(err)
	}
	c := d.describe(mon)
	if c.InitiationMethod != types.ContactInitiationMethodMonitor || aws.ToString(c.RelatedContactId) != id || c.Channel != types.ChannelChat ||
		c.AgentInfo == nil || aws.ToString(c.AgentInfo.Id) != sue || c.DisconnectTimestamp != nil {
		t.Fatalf("monitoring contact %s", mustJSON(c))
	}
	list := d.monitors(sueToken)
	if len(list) != 1 || list[0]["contactId"] != mon || list[0]["monitoredContactId"] != id || list[0]["participantToken"] == "" || list[0]["barged"] != false {
		t.Fatalf("monitoring sessions %v", list)
	}
	if len(d.snapshot(sueToken).Contacts) != 0 {
		t.Errorf("monitoring shows as a contact sue holds: %+v", d.snapshot(sueToken).Contacts)
	}
	supervisor := d.join(list[0]["participantToken"].(string))

	// Silent: the customer's next push is their own message, not sue
	// joining; sue reads it; sue cannot write.
	customer.say("is anyone there?")
	customer.expect("CUSTOMER:Jane:is anyone there?")
	agent.expect("CUSTOMER:Jane:is anyone there?")
	supervisor.expect("CUSTOMER:Jane:is anyone there?")
	if st := d.participant("/participant/message", supervisor.conn, map[string]string{"ContentType": "text/plain", "Content": "psst"}, nil); st != http.StatusForbidden {
		t.Errorf("a silent monitor wrote: %d", st)
	}

	// Barging shows sue to everyone, and she may write.
	if st, out := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/monitoring/"+mon+"/barge", sueToken, nil); st != 204 {
		t.Fatalf("barge: %d %v", st, out)
	}
	customer.expect("SUPERVISOR:sue:participant.joined")
	supervisor.say("I can help with that")
	customer.expect("SUPERVISOR:sue:I can help with that")
	if list := d.monitors(sueToken); list[0]["barged"] != true {
		t.Errorf("after barging: %v", list)
	}

	// The chat ends (the customer leaves): so does the monitoring.
	if st := d.participant("/participant/disconnect", customer.conn, map[string]any{}, nil); st != 200 {
		t.Fatalf("customer disconnect: %d", st)
	}
	if c := d.describe(mon); c.DisconnectTimestamp == nil || aws.ToString(c.DisconnectReason) != "CUSTOMER_DISCONNECT" {
		t.Errorf("monitoring after the chat ended: %s", mustJSON(c))
	}
	if list := d.monitors(sueToken); len(list) != 0 {
		t.Errorf("sessions after the chat ended: %v", list)
	}
}

// TestMonitorStopAndRules: stopping ends the monitoring contact without a
// word to the chat; barging needs BARGE; MonitorContact's rules.
func TestMonitorStopAndRules(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	sue := d.user("sue")
	sueToken := d.login("sue")
	id, tok := d.start()
	customer := d.join(tok)

	// Not yet with an agent.
	_, err := d.monitorChat(id, sue)
	sbtest.APIError(t, err, "InvalidRequestException", http.StatusBadRequest)
	d.accept(id)
	customer.expect("AGENT:ada:participant.joined")

	mon, err := d.monitorChat(id, sue)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/monitoring/"+mon+"/barge", sueToken, nil); st != http.StatusConflict {
		t.Errorf("barging without BARGE: %d, want 409", st)
	}
	if st, _ := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/monitoring/"+mon+"/stop", d.token, nil); st != http.StatusNotFound {
		t.Errorf("ada stopped sue's monitoring: %d, want 404", st)
	}
	if st, out := d.agentAPI("POST", "/agent/v1/instances/"+d.iid+"/monitoring/"+mon+"/stop", sueToken, nil); st != 204 {
		t.Fatalf("stop: %d %v", st, out)
	}
	if c := d.describe(mon); c.DisconnectTimestamp == nil {
		t.Errorf("the stopped monitoring is still open: %s", mustJSON(c))
	}
	customer.say("still here")
	customer.expect("CUSTOMER:Jane:still here")

	// A retry with the same ClientToken answers the same monitoring.
	in := &connect.MonitorContactInput{InstanceId: &d.iid, ContactId: &id, UserId: &sue, ClientToken: aws.String("m-1")}
	a, err := d.Client.MonitorContact(sbtest.Ctx(t), in)
	must(t, err)
	b, err := d.Client.MonitorContact(sbtest.Ctx(t), in)
	must(t, err)
	if *a.ContactId != *b.ContactId {
		t.Errorf("replay answered %s, first %s", *b.ContactId, *a.ContactId)
	}

	task := d.task("a task")
	for name, tc := range map[string]struct {
		contact, user, code string
		status              int
	}{
		"the agent themself": {id, d.agent, "InvalidRequestException", 400},
		"no such user":       {id, "nobody", "ResourceNotFoundException", 404},
		"no such contact":    {"nope", sue, "ResourceNotFoundException", 404},
		"a task":             {task, sue, "InvalidRequestException", 400},
		"a monitoring":       {mon, sue, "InvalidRequestException", 400},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := d.monitorChat(tc.contact, tc.user)
			sbtest.APIError(t, err, tc.code, tc.status)
		})
	}
}

// TestMonitorSupervisorLeaves: a supervisor who leaves the chat through the
// participant service's DisconnectParticipant ends their monitoring
// contact; another supervisor's monitoring of the same chat goes on.
func TestMonitorSupervisorLeaves(t *testing.T) {
	t.Parallel()
	d := newChatDesk(t)
	sue, tom := d.user("sue"), d.user("tom")
	sueToken, tomToken := d.login("sue"), d.login("tom")
	id, _, customer, _ := d.connected()
	sueMon, err := d.monitorChat(id, sue)
	must(t, err)
	tomMon, err := d.monitorChat(id, tom)
	must(t, err)
	supervisor := d.join(d.monitors(sueToken)[0]["participantToken"].(string))

	if st := d.participant("/participant/disconnect", supervisor.conn, map[string]any{}, nil); st != 200 {
		t.Fatalf("supervisor disconnect: %d", st)
	}
	if c := d.describe(sueMon); c.DisconnectTimestamp == nil || aws.ToString(c.DisconnectReason) != "AGENT_DISCONNECT" {
		t.Errorf("sue's monitoring after she left: %s", mustJSON(c))
	}
	if list := d.monitors(sueToken); len(list) != 0 {
		t.Errorf("sue's sessions after she left: %v", list)
	}
	if c := d.describe(tomMon); c.DisconnectTimestamp != nil {
		t.Errorf("tom's monitoring ended with sue's: %s", mustJSON(c))
	}
	if list := d.monitors(tomToken); len(list) != 1 {
		t.Errorf("tom's sessions: %v", list)
	}
	// The chat goes on, and nobody saw the silent supervisor leave.
	customer.say("hello?")
	customer.expect("CUSTOMER:Jane:hello?")
}
