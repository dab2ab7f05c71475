package events_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/events"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	testAccount  = "111122223333"
	testInstance = "arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111"
)

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

func ptr[T any](v T) *T { return &v }

// MustQueuedVoiceEvent is a QUEUED event for an inbound call, with the
// fields Connect sends at that point of the sequence (spec §1.3).
func MustQueuedVoiceEvent(tb testing.TB) *events.ContactEvent {
	tb.Helper()
	return events.NewContactEvent("5e6f7a8b-0000-4000-8000-000000000001", testAccount, "us-east-1", t0.Add(2*time.Second), events.ContactDetail{
		EventType:                  events.ContactQueued,
		ContactID:                  "c0ffee00-0000-4000-8000-000000000001",
		InitialContactID:           "c0ffee00-0000-4000-8000-000000000001",
		Channel:                    "VOICE",
		InstanceARN:                testInstance,
		InitiationMethod:           "INBOUND",
		InitiationTimestamp:        events.At(t0),
		ConnectedToSystemTimestamp: events.At(t0),
		QueueInfo: &events.QueueInfo{
			QueueARN:         testInstance + "/queue/q-support",
			QueueType:        "STANDARD",
			EnqueueTimestamp: events.At(t0.Add(1500 * time.Millisecond)),
		},
		SegmentAttributes: map[string]events.SegmentAttributeValue{
			"connect:Subtype": {ValueString: ptr("connect:Telephony")},
		},
		RoutingCriteria: &events.RoutingCriteria{
			Steps: []events.RoutingStep{{
				Expiry:     &events.RoutingStepExpiry{DurationInSeconds: 30, ExpiryTimestamp: events.At(t0.Add(31500 * time.Millisecond))},
				Expression: json.RawMessage(`{"attributeCondition":{"name":"Language","value":"English","proficiencyLevel":3,"comparisonOperator":"NumberGreaterOrEqualTo"}}`),
				Status:     "ACTIVE",
			}},
			ActivationTimestamp: events.At(t0.Add(1500 * time.Millisecond)),
			Index:               0,
		},
		Tags: map[string]string{"aws:connect:instanceId": "aaaaaaaa-bbbb-cccc-dddd-111111111111"},
	})
}

// MustChatStateChange is the STATE_CHANGE of an agent accepting a chat.
func MustChatStateChange(tb testing.TB) *events.AgentEvent {
	tb.Helper()
	agent := testInstance + "/agent/u-jane"
	queue := events.Queue{ARN: testInstance + "/queue/q-support", Name: "Support"}
	profile := events.RoutingProfile{
		ARN: testInstance + "/routing-profile/rp-basic",
		Concurrency: []events.ChannelConcurrency{
			{AvailableSlots: 3, Channel: "CHAT", MaximumSlots: 3},
			{AvailableSlots: 1, Channel: "VOICE", MaximumSlots: 1},
		},
		DefaultOutboundQueue: events.Queue{ARN: queue.ARN, Channels: []string{"VOICE"}, Name: queue.Name},
		InboundQueues:        []events.Queue{{ARN: queue.ARN, Channels: []string{"CHAT", "VOICE"}, Name: queue.Name}},
		Name:                 "Basic Routing Profile",
	}
	conf := events.AgentConfiguration{FirstName: "Jane", LastName: "Doe", RoutingProfile: profile, Username: "jane"}
	status := events.AgentStatus{ARN: testInstance + "/agent-state/s-available", Name: "Available", StartTimestamp: events.At(t0), Type: "ROUTABLE"}

	prev := &events.AgentSnapshot{AgentStatus: status, Configuration: conf}
	cur := &events.AgentSnapshot{AgentStatus: status, Configuration: conf}
	cur.Configuration.RoutingProfile.Concurrency = []events.ChannelConcurrency{
		{AvailableSlots: 2, Channel: "CHAT", MaximumSlots: 3},
		{AvailableSlots: 0, Channel: "VOICE", MaximumSlots: 1}, // chat blocks voice in this profile
	}
	cur.Contacts = []events.AgentContact{{
		Channel:                   "CHAT",
		ConnectedToAgentTimestamp: events.At(t0.Add(40 * time.Second)),
		ContactID:                 "c0ffee00-0000-4000-8000-000000000002",
		InitiationMethod:          "API",
		Queue:                     &queue,
		QueueTimestamp:            events.At(t0.Add(20 * time.Second)),
		State:                     "CONNECTED",
		StateStartTimestamp:       events.At(t0.Add(40 * time.Second)),
	}}
	e := events.NewAgentEvent("0a1b2c3d-0000-4000-8000-000000000003", events.AgentStateChange, testAccount, testInstance, agent, t0.Add(40*time.Second))
	e.CurrentAgentSnapshot, e.PreviousAgentSnapshot = cur, prev
	return e
}

func TestGoldenJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		file string
		ev   events.Event
		into func() any
	}{
		{"contact QUEUED voice", "contact_event_queued.json", MustQueuedVoiceEvent(t), func() any { return new(events.ContactEvent) }},
		{"agent STATE_CHANGE chat", "agent_event_state_change.json", MustChatStateChange(t), func() any { return new(events.AgentEvent) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(tc.ev, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./events -run TestGoldenJSON -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", path, got, want)
			}
			// Decoding the golden file and encoding again must reproduce it, so
			// receivers written in Go can use these types too.
			v := tc.into()
			if err := json.Unmarshal(want, v); err != nil {
				t.Fatal(err)
			}
			again, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(again, '\n'), want) {
				t.Errorf("round trip of %s changed it:\n%s", path, again)
			}
		})
	}
}

func TestNullsAndOmissions(t *testing.T) {
	t.Parallel()
	// A LOGIN has no previous snapshot and no contacts: the record must say
	// null and [] as Kinesis records do, not leave the keys out.
	e := events.NewAgentEvent("id", events.AgentLogin, testAccount, testInstance, testInstance+"/agent/u", t0)
	e.CurrentAgentSnapshot = &events.AgentSnapshot{}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"PreviousAgentSnapshot":null`, `"Contacts":[]`, `"NextAgentStatus":null`, `"AgentHierarchyGroups":null`, `"Version":"2019-05-25"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("agent event lacks %s: %s", want, b)
		}
	}
	// An outbound call has no queueInfo and no agent yet: the keys are absent.
	c := events.NewContactEvent("id", testAccount, "us-east-1", t0, events.ContactDetail{
		EventType: events.ContactInitiated, ContactID: "c", Channel: "VOICE", InstanceARN: testInstance, InitiationMethod: "OUTBOUND",
	})
	b, err = json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"queueInfo", "agentInfo", "disconnectTimestamp", "null"} {
		if bytes.Contains(b, []byte(absent)) {
			t.Errorf("contact event has %s: %s", absent, b)
		}
	}
	if !bytes.Contains(b, []byte(`"time":"2025-03-14T15:09:26Z"`)) {
		t.Errorf("envelope time not in whole seconds: %s", b)
	}
}
