package chat_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// pushes is a participant's WebSocket, subscribed to aws/chat.
type pushes struct {
	t  *testing.T
	ws *websocket.Conn
}

func (p *pchat) socket(participantToken string) *pushes {
	p.t.Helper()
	var c struct{ Websocket struct{ Url string } }
	p.post("/participant/connection", participantToken, map[string]any{"Type": []string{"WEBSOCKET"}}, &c)
	ws, _, err := websocket.Dial(sbtest.Ctx(p.t), c.Websocket.Url, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { ws.CloseNow() })
	if err := ws.Write(sbtest.Ctx(p.t), websocket.MessageText, []byte(`{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}`)); err != nil {
		p.t.Fatal(err)
	}
	s := &pushes{t: p.t, ws: ws}
	s.frame() // the subscription's answer
	return s
}

func (s *pushes) frame() map[string]any {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := s.ws.Read(ctx)
	if err != nil {
		s.t.Fatalf("read: %v", err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		s.t.Fatal(err)
	}
	return f
}

// next returns the next pushed item as "<what> <role> <time>", what being
// the Content of a message or the event's name.
func (s *pushes) next() string {
	s.t.Helper()
	f := s.frame()
	var it chat.Item
	if err := json.Unmarshal([]byte(f["content"].(string)), &it); err != nil {
		s.t.Fatal(err)
	}
	what := it.Content
	if it.Type == chat.TypeEvent {
		what = strings.TrimPrefix(it.ContentType, "application/vnd.amazonaws.connect.event.")
	}
	return what + " " + string(it.ParticipantRole) + " " + it.AbsoluteTime[11:19]
}

func (s *pushes) want(items ...string) {
	s.t.Helper()
	for _, w := range items {
		if got := s.next(); got != w {
			s.t.Fatalf("pushed %q, want %q", got, w)
		}
	}
}

func timer(role types.TimerEligibleParticipantRoles, typ types.ParticipantTimerType, minutes int32) types.ParticipantTimerConfiguration {
	return types.ParticipantTimerConfiguration{ParticipantRole: role, TimerType: typ,
		TimerValue: &types.ParticipantTimerValueMemberParticipantTimerDurationInMinutes{Value: minutes}}
}

func (p *pchat) setTimers(client *connect.Client, contactID string, list ...types.ParticipantTimerConfiguration) error {
	_, err := client.UpdateParticipantRoleConfig(sbtest.Ctx(p.t), &connect.UpdateParticipantRoleConfigInput{
		InstanceId: &p.iid, ContactId: &contactID,
		ChannelConfiguration: &types.UpdateParticipantRoleConfigChannelInfoMemberChat{Value: types.ChatParticipantRoleConfig{ParticipantTimerConfigList: list}}})
	return err
}

// TestChatTimers follows Connect's timer rules in virtual time: nothing
// runs until the agent joins; idle comes first, then the disconnect timer;
// a message resets its sender's timers; auto-disconnect takes the agent
// out; idle notices are pushed, not stored.
func TestChatTimers(t *testing.T) {
	t.Parallel()
	p := newPChat(t)
	out, err := p.Client.StartChatContact(sbtest.Ctx(t), &connect.StartChatContactInput{InstanceId: &p.iid, ContactFlowId: &p.flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Jane")}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.ContactId
	var c struct {
		ConnectionCredentials struct{ ConnectionToken string }
	}
	p.post("/participant/connection", *out.ParticipantToken, map[string]any{"Type": []string{"CONNECTION_CREDENTIALS"}}, &c)
	conn := c.ConnectionCredentials.ConnectionToken
	ws := p.socket(*out.ParticipantToken)

	const (
		cust  = types.TimerEligibleParticipantRolesCustomer
		agent = types.TimerEligibleParticipantRolesAgent
		idle  = types.ParticipantTimerTypeIdle
		disc  = types.ParticipantTimerTypeDisconnectNoncustomer
	)
	if err := p.setTimers(p.Client, id, timer(cust, idle, 2), timer(cust, disc, 3), timer(agent, idle, 5)); err != nil {
		t.Fatal(err)
	}
	// Alone with the flow, the customer is never idle.
	p.Clock.Advance(10 * time.Minute) // 09:10
	if _, _, err := p.App.Chat.AddParticipant(sbtest.Ctx(t), p.iid, id, chat.RoleAgent, "Sam"); err != nil {
		t.Fatal(err)
	}
	ws.want("participant.joined AGENT 09:10:00")

	p.Clock.Advance(time.Minute) // 09:11
	p.say(conn, "hello")
	ws.want("hello CUSTOMER 09:11:00")
	p.Clock.Advance(2*time.Minute - time.Second)
	p.Clock.Advance(time.Second) // 09:13: two minutes after the message
	ws.want("participant.idle CUSTOMER 09:13:00")
	p.Clock.Advance(30 * time.Second)
	p.say(conn, "still here")
	ws.want("still here CUSTOMER 09:13:30", "participant.returned CUSTOMER 09:13:30")

	// The agent never wrote: idle five minutes after joining. The
	// customer's idle, then its disconnect timer three minutes later.
	p.Clock.Advance(time.Hour)
	ws.want("participant.idle AGENT 09:15:00", "participant.idle CUSTOMER 09:15:30",
		"participant.autodisconnection CUSTOMER 09:18:30", "participant.left AGENT 09:18:30")

	// With the agent gone nothing runs; the customer stays (no runtime
	// here to end the contact).
	p.say(conn, "anyone?")
	ws.want("anyone? CUSTOMER 10:13:30")
	var tr page
	p.post("/participant/transcript", conn, map[string]any{"MaxResults": 100, "SortOrder": "ASCENDING"}, &tr)
	for _, it := range tr.Transcript {
		if strings.Contains(it.ContentType, "idle") || strings.Contains(it.ContentType, "returned") || strings.Contains(it.ContentType, "autodisconnection") {
			t.Errorf("timer notice %s was stored", it.ContentType)
		}
	}
}

// TestChatTimersConfigChange: setting timers while agent and customer are
// both there starts them at once; Unset removes one.
func TestChatTimersConfigChange(t *testing.T) {
	t.Parallel()
	p := newPChat(t)
	id, conn, _ := p.start("", "")
	if _, _, err := p.App.Chat.AddParticipant(sbtest.Ctx(t), p.iid, id, chat.RoleAgent, "Sam"); err != nil {
		t.Fatal(err)
	}
	if err := p.setTimers(p.Client, id, timer(types.TimerEligibleParticipantRolesAgent, types.ParticipantTimerTypeDisconnectNoncustomer, 4)); err != nil {
		t.Fatal(err)
	}
	cfg, err := p.App.Chat.Timers(sbtest.Ctx(t), p.iid, id)
	if err != nil || cfg == nil || cfg.AgentDisconnect != 4*time.Minute {
		t.Fatalf("timers = %+v, %v", cfg, err)
	}
	unset := types.ParticipantTimerConfiguration{ParticipantRole: types.TimerEligibleParticipantRolesAgent, TimerType: types.ParticipantTimerTypeDisconnectNoncustomer,
		TimerValue: &types.ParticipantTimerValueMemberParticipantTimerAction{Value: types.ParticipantTimerActionUnset}}
	if err := p.setTimers(p.Client, id, unset); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := p.App.Chat.Timers(sbtest.Ctx(t), p.iid, id); cfg != nil {
		t.Errorf("after Unset timers = %+v", cfg)
	}
	// Disconnect timer alone (no idle timer) fires after its own time.
	if err := p.setTimers(p.Client, id, timer(types.TimerEligibleParticipantRolesAgent, types.ParticipantTimerTypeDisconnectNoncustomer, 2)); err != nil {
		t.Fatal(err)
	}
	p.Clock.Advance(2 * time.Minute)
	var tr page
	p.post("/participant/transcript", conn, map[string]any{"MaxResults": 100, "SortOrder": "ASCENDING"}, &tr)
	last := tr.Transcript[len(tr.Transcript)-1]
	if last.ContentType != "application/vnd.amazonaws.connect.event.participant.left" || last.ParticipantRole != chat.RoleAgent {
		t.Errorf("after the disconnect timer the transcript ends with %+v", last)
	}
}

func TestUpdateParticipantRoleConfigValidation(t *testing.T) {
	t.Parallel()
	p := newPChat(t)
	id, _, _ := p.start("", "")
	cust := types.TimerEligibleParticipantRolesCustomer
	for name, tc := range map[string]struct {
		list []types.ParticipantTimerConfiguration
		exc  string
	}{
		"too short":  {[]types.ParticipantTimerConfiguration{timer(cust, types.ParticipantTimerTypeIdle, 1)}, "InvalidParameterException"},
		"too long":   {[]types.ParticipantTimerConfiguration{timer(cust, types.ParticipantTimerTypeIdle, 481)}, "InvalidParameterException"},
		"bad role":   {[]types.ParticipantTimerConfiguration{timer("SUPERVISOR", types.ParticipantTimerTypeIdle, 5)}, "InvalidParameterException"},
		"twice":      {[]types.ParticipantTimerConfiguration{timer(cust, types.ParticipantTimerTypeIdle, 5), timer(cust, types.ParticipantTimerTypeIdle, 6)}, "InvalidRequestException"},
		"empty list": {nil, "InvalidParameterException"},
	} {
		err := p.setTimers(p.Raw, id, tc.list...)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		sbtest.APIError(t, err, tc.exc, 400)
	}
	err := p.setTimers(p.Raw, "no-such-contact", timer(cust, types.ParticipantTimerTypeIdle, 5))
	sbtest.APIError(t, err, "ResourceNotFoundException", 404)
	// An ended chat takes no timers.
	p.stop(id)
	err = p.setTimers(p.Raw, id, timer(cust, types.ParticipantTimerTypeIdle, 5))
	sbtest.APIError(t, err, "InvalidRequestException", 400)
}
