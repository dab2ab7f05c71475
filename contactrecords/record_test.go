package contactrecords

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func strp(s string) *string { return &s }

// agentContact is a transferred-in voice contact that waited, was handled
// and wrapped up: every section of a record has something in it.
func agentContact() Input {
	iarn := "arn:aws:connect:us-east-1:123456789012:instance/inst-1"
	return Input{
		AccountID: "123456789012", InstanceARN: iarn, QueueName: "BasicQueue", AgentUsername: "ada", NextContactID: "c-3",
		Attributes: map[string]string{"account": "42", "tier": "gold"},
		Contact: domain.Contact{
			ID: "c-2", Arn: iarn + "/contact/c-2", InstanceID: "inst-1", InitialContactID: "c-1", PreviousContactID: "c-1",
			Channel: "VOICE", InitiationMethod: "TRANSFER", State: domain.StateEnded,
			InitiationTime:        t0,
			ConnectedToSystemTime: t0,
			QueueID:               "q-1", EnqueueTime: t0.Add(2 * time.Second),
			AgentID: "u-1", ConnectedToAgentTime: t0.Add(32*time.Second + 400*time.Millisecond),
			DisconnectTime:        t0.Add(3*time.Minute + 2*time.Second),
			AfterContactWorkStart: t0.Add(3*time.Minute + 2*time.Second),
			AfterContactWorkEnd:   t0.Add(3*time.Minute + 47*time.Second),
			LastUpdateTime:        t0.Add(3*time.Minute + 47*time.Second),
			DisconnectReason:      "CUSTOMER_DISCONNECT",
			CustomerEndpoint:      &domain.Endpoint{Type: "TELEPHONE_NUMBER", Address: "+12065550100"},
			SystemEndpoint:        &domain.Endpoint{Type: "TELEPHONE_NUMBER", Address: "+18005550199", DisplayName: "Support"},
			References: map[string]domain.Reference{
				"ticket": {Type: "URL", Value: "https://example.com/t/1"},
				"amount": {Type: "NUMBER", Value: "12.5", Status: "AVAILABLE"},
			},
			SegmentAttributes: map[string]domain.SegmentValue{
				"connect:Subtype": {String: strp("connect:Telephony")},
				"connect:ContactExpiry": {Map: map[string]domain.SegmentValue{
					"ExpiryDuration": {Integer: func() *int32 { v := int32(60); return &v }()}}},
			},
			Tags: map[string]string{"team": "blue"},
		},
	}
}

// abandonedTask waited and ended without an agent: no Agent section, and
// the queue's dequeue is the disconnect.
func abandonedTask() Input {
	iarn := "arn:aws:connect:us-east-1:123456789012:instance/inst-1"
	return Input{
		AccountID: "123456789012", InstanceARN: iarn,
		Contact: domain.Contact{
			ID: "t-1", InstanceID: "inst-1", InitialContactID: "t-1", RelatedContactID: "c-1",
			Channel: "TASK", InitiationMethod: "API", State: domain.StateEnded,
			InitiationTime: t0, ConnectedToSystemTime: t0, ScheduledTime: t0.Add(-time.Hour),
			QueueID: "q-gone", EnqueueTime: t0.Add(time.Second),
			DisconnectTime: t0.Add(10 * time.Minute), LastUpdateTime: t0.Add(10 * time.Minute),
			DisconnectReason: "API",
		},
	}
}

func TestRecordGolden(t *testing.T) {
	for name, in := range map[string]Input{"agent_voice": agentContact(), "abandoned_task": abandonedTask()} {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(Build(in), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("record differs from %s (go test -update rewrites it after review):\n%s", path, got)
			}
		})
	}
}

// TestRecordIsStable: maps (references, segment attributes) must not make
// two builds of the same contact differ.
func TestRecordIsStable(t *testing.T) {
	a, _ := json.Marshal(Build(agentContact()))
	for range 20 {
		b, _ := json.Marshal(Build(agentContact()))
		if !bytes.Equal(a, b) {
			t.Fatalf("builds differ:\n%s\n%s", a, b)
		}
	}
}

func TestCompleted(t *testing.T) {
	c := agentContact().Contact
	if !Completed(&c) {
		t.Fatal("wrapped-up contact not completed")
	}
	c.AfterContactWorkEnd = time.Time{}
	if Completed(&c) {
		t.Fatal("contact in after-contact work counted as completed")
	}
	c.State = domain.StateConnected
	if Completed(&c) {
		t.Fatal("connected contact counted as completed")
	}
	task := abandonedTask().Contact
	if !Completed(&task) {
		t.Fatal("ended contact without agent not completed")
	}
}

func TestParseQuery(t *testing.T) {
	ok := url.Values{"from": {"2026-03-02T09:00:00Z"}, "to": {"2026-03-02T10:00:00+01:00"}}
	if _, err := ParseQuery("i", ok); err == nil {
		t.Fatal("to == from accepted")
	}
	ok.Set("to", "2026-03-02T11:00:00+01:00")
	q, err := ParseQuery("i", ok)
	if err != nil || !q.To.Equal(t0.Add(time.Hour)) || q.To.Location() != time.UTC {
		t.Fatalf("ParseQuery = %+v, %v", q, err)
	}
	for name, v := range map[string]url.Values{
		"missing to":  {"from": {"2026-03-02T09:00:00Z"}},
		"bad time":    {"from": {"yesterday"}, "to": {"2026-03-02T09:00:00Z"}},
		"typo":        {"form": {"2026-03-02T09:00:00Z"}, "to": {"2026-03-02T10:00:00Z"}},
		"twice":       {"from": {"2026-03-02T09:00:00Z", "2026-03-02T08:00:00Z"}, "to": {"2026-03-02T10:00:00Z"}},
		"too long":    {"from": {"2020-01-01T00:00:00Z"}, "to": {"2026-03-02T10:00:00Z"}},
		"before 1970": {"from": {"0001-01-01T00:00:00Z"}, "to": {"2026-03-02T10:00:00Z"}},
	} {
		if _, err := ParseQuery("i", v); err == nil {
			t.Errorf("%s: accepted %v", name, v)
		}
	}
	if _, err := ParseQuery("", ok); err == nil {
		t.Error("empty instance accepted")
	}
}

// FuzzParseQuery: any query string either parses into a valid range or is
// refused with a message; it never panics.
func FuzzParseQuery(f *testing.F) {
	f.Add("from=2026-03-02T09:00:00Z&to=2026-03-02T10:00:00Z")
	f.Add("from=2026-03-02T09:00:00.123456789%2B05:30&to=9999-12-31T23:59:59Z")
	f.Add("to=&from=")
	f.Add("from=2026-03-02T09:00:00Z&from=x&%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery("inst", v)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("bad error for %q: %q", raw, err)
			}
			return
		}
		if !q.From.Before(q.To) || q.To.Sub(q.From) > MaxRange || q.From.Location() != time.UTC {
			t.Fatalf("%q parsed to an invalid range %v..%v", raw, q.From, q.To)
		}
	})
}
