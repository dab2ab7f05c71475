// Package contactrecords builds Amazon Connect contact records (formerly
// "contact trace records", CTRs) from Switchboard's stored contacts and
// exports them as JSON lines.
//
// A record exists once a contact is COMPLETED: disconnected and, when an
// agent had it, with the agent's after-contact work done (spec §1.3). Its
// shape follows the Connect admin guide's "Data model for contact records"
// (ctr-data-model): PascalCase keys, timestamps as yyyy-mm-ddThh:mm:ssZ in
// UTC, durations in whole seconds, and the keys Connect always writes
// present with null when Switchboard has no value, so consumers written for
// Connect's Kinesis/S3 export read these unchanged.
package contactrecords

import (
	"sort"
	"time"

	"github.com/switchboard-cc/switchboard/domain"
)

// FormatVersion is the AWSContactTraceRecordFormatVersion Connect still
// writes into every record.
const FormatVersion = "2017-03-10"

// TimestampLayout is the records' timestamp format (the data model's
// "yyyy-mm-ddThh:mm:ssZ"); Format truncates to the second.
const TimestampLayout = "2006-01-02T15:04:05Z"

// Record is one contact record. Fields are in the alphabetical order Connect
// writes them in; pointers and nil maps/slices marshal as null where Connect
// writes null for "not known".
type Record struct {
	AWSAccountID                       string                           `json:"AWSAccountId"`
	AWSContactTraceRecordFormatVersion string                           `json:"AWSContactTraceRecordFormatVersion"`
	Agent                              *Agent                           `json:"Agent"`
	Attributes                         map[string]string                `json:"Attributes"`
	Channel                            string                           `json:"Channel"`
	ConnectedToSystemTimestamp         *string                          `json:"ConnectedToSystemTimestamp"`
	ContactID                          string                           `json:"ContactId"`
	CustomerEndpoint                   *Endpoint                        `json:"CustomerEndpoint"`
	DisconnectReason                   *string                          `json:"DisconnectReason"`
	DisconnectTimestamp                *string                          `json:"DisconnectTimestamp"`
	InitialContactID                   string                           `json:"InitialContactId"`
	InitiationMethod                   string                           `json:"InitiationMethod"`
	InitiationTimestamp                *string                          `json:"InitiationTimestamp"`
	InstanceARN                        string                           `json:"InstanceARN"`
	LastUpdateTimestamp                *string                          `json:"LastUpdateTimestamp"`
	NextContactID                      *string                          `json:"NextContactId"`
	PreviousContactID                  *string                          `json:"PreviousContactId"`
	Queue                              *Queue                           `json:"Queue"`
	References                         []Reference                      `json:"References"`
	RelatedContactID                   *string                          `json:"RelatedContactId"`
	ScheduledTimestamp                 *string                          `json:"ScheduledTimestamp"`
	SegmentAttributes                  map[string]SegmentAttributeValue `json:"SegmentAttributes"`
	SystemEndpoint                     *Endpoint                        `json:"SystemEndpoint"`
	Tags                               map[string]string                `json:"Tags"`
}

// Agent is the agent who handled the contact. Switchboard has no hold, so
// the hold counters are 0 by construction, not by omission.
type Agent struct {
	ARN                            string  `json:"ARN"`
	AfterContactWorkDuration       *int64  `json:"AfterContactWorkDuration"`
	AfterContactWorkEndTimestamp   *string `json:"AfterContactWorkEndTimestamp"`
	AfterContactWorkStartTimestamp *string `json:"AfterContactWorkStartTimestamp"`
	AgentInteractionDuration       int64   `json:"AgentInteractionDuration"`
	ConnectedToAgentTimestamp      *string `json:"ConnectedToAgentTimestamp"`
	CustomerHoldDuration           int64   `json:"CustomerHoldDuration"`
	LongestHoldDuration            int64   `json:"LongestHoldDuration"`
	NumberOfHolds                  int64   `json:"NumberOfHolds"`
	Username                       *string `json:"Username"`
}

// Queue is the queue the contact waited in.
type Queue struct {
	ARN              string  `json:"ARN"`
	DequeueTimestamp *string `json:"DequeueTimestamp"`
	Duration         int64   `json:"Duration"`
	EnqueueTimestamp *string `json:"EnqueueTimestamp"`
	Name             *string `json:"Name"`
}

// Endpoint is a customer or system endpoint as records show it.
type Endpoint struct {
	Address string `json:"Address"`
	Type    string `json:"Type"`
}

// Reference is one entry of References: records list them with the map's
// key as Name.
type Reference struct {
	Name   string  `json:"Name"`
	Status *string `json:"Status,omitempty"`
	Type   string  `json:"Type"`
	Value  string  `json:"Value"`
}

// SegmentAttributeValue mirrors the API's SegmentAttributeValue.
type SegmentAttributeValue struct {
	ValueArn     *string                          `json:"ValueArn,omitempty"`
	ValueInteger *int32                           `json:"ValueInteger,omitempty"`
	ValueList    []SegmentAttributeValue          `json:"ValueList,omitempty"`
	ValueMap     map[string]SegmentAttributeValue `json:"ValueMap,omitempty"`
	ValueString  *string                          `json:"ValueString,omitempty"`
}

// Input is everything a record is built from: the stored contact and what
// the exporter looked up around it. Build reads nothing else, so a record is
// a pure function of its Input (and golden-file tested as such).
type Input struct {
	Contact domain.Contact
	// Attributes are the chain's user-defined attributes (keyed by the
	// InitialContactId, shared by every segment).
	Attributes map[string]string
	AccountID  string
	// InstanceARN is arn:aws:connect:{region}:{account}:instance/{id}; queue
	// and agent ARNs are built under it.
	InstanceARN string
	// QueueName and AgentUsername are looked up by the exporter; "" when
	// the queue or user is gone (the record then shows null).
	QueueName, AgentUsername string
	// NextContactID is the contact that continued this one (its
	// PreviousContactId is this contact), "" if none.
	NextContactID string
}

// Completed reports whether a contact has a record yet: it is over and
// nobody is still doing after-contact work on it.
func Completed(c *domain.Contact) bool {
	if !c.Ended() {
		return false
	}
	return c.AfterContactWorkStart.IsZero() || !c.AfterContactWorkEnd.IsZero()
}

// Build returns the contact record of in.Contact. It does not check
// Completed: callers export only completed contacts, but a record of a
// contact in progress is still well-formed (its open timestamps are null).
func Build(in Input) Record {
	c := &in.Contact
	r := Record{
		AWSAccountID:                       in.AccountID,
		AWSContactTraceRecordFormatVersion: FormatVersion,
		Attributes:                         in.Attributes,
		Channel:                            c.Channel,
		ConnectedToSystemTimestamp:         ts(c.ConnectedToSystemTime),
		ContactID:                          c.ID,
		CustomerEndpoint:                   endpoint(c.CustomerEndpoint),
		DisconnectReason:                   str(c.DisconnectReason),
		DisconnectTimestamp:                ts(c.DisconnectTime),
		InitialContactID:                   c.InitialContactID,
		InitiationMethod:                   c.InitiationMethod,
		InitiationTimestamp:                ts(c.InitiationTime),
		InstanceARN:                        in.InstanceARN,
		LastUpdateTimestamp:                ts(c.LastUpdateTime),
		NextContactID:                      str(in.NextContactID),
		PreviousContactID:                  str(c.PreviousContactID),
		RelatedContactID:                   str(c.RelatedContactID),
		ScheduledTimestamp:                 ts(c.ScheduledTime),
		SystemEndpoint:                     endpoint(c.SystemEndpoint),
		References:                         references(c.References),
		SegmentAttributes:                  segments(c.SegmentAttributes),
		Tags:                               c.AllTags(),
	}
	if r.Attributes == nil {
		// Connect writes {} for a contact without attributes.
		r.Attributes = map[string]string{}
	}
	if c.QueueID != "" && !c.EnqueueTime.IsZero() {
		r.Queue = queue(c, in.InstanceARN, in.QueueName)
	}
	// A contact that sat in an agent's queue names the agent without ever
	// reaching them: only a connection makes an Agent section.
	if c.AgentID != "" && !c.ConnectedToAgentTime.IsZero() {
		r.Agent = agent(c, in.InstanceARN, in.AgentUsername)
	}
	return r
}

// queue fills the Queue section. Switchboard does not store when a contact
// left its queue; it is the moment it stopped waiting: connected to an
// agent, or else disconnected (abandoned, transferred, expired) — which is
// what Connect records as DequeueTimestamp (spec §1.5).
func queue(c *domain.Contact, instanceARN, name string) *Queue {
	q := &Queue{ARN: instanceARN + "/queue/" + c.QueueID, EnqueueTimestamp: ts(c.EnqueueTime), Name: str(name)}
	dequeue := c.ConnectedToAgentTime
	if dequeue.IsZero() {
		dequeue = c.DisconnectTime
	}
	if !dequeue.IsZero() && !dequeue.Before(c.EnqueueTime) {
		q.DequeueTimestamp = ts(dequeue)
		q.Duration = seconds(dequeue.Sub(c.EnqueueTime))
	}
	return q
}

// agent fills the Agent section. The interaction lasts from the connection
// to the disconnect (after-contact work starts at the disconnect, so either
// bound gives the same length).
func agent(c *domain.Contact, instanceARN, username string) *Agent {
	a := &Agent{
		ARN:                            instanceARN + "/agent/" + c.AgentID,
		ConnectedToAgentTimestamp:      ts(c.ConnectedToAgentTime),
		AfterContactWorkStartTimestamp: ts(c.AfterContactWorkStart),
		AfterContactWorkEndTimestamp:   ts(c.AfterContactWorkEnd),
		Username:                       str(username),
	}
	if !c.DisconnectTime.IsZero() && c.DisconnectTime.After(c.ConnectedToAgentTime) {
		a.AgentInteractionDuration = seconds(c.DisconnectTime.Sub(c.ConnectedToAgentTime))
	}
	if !c.AfterContactWorkStart.IsZero() && !c.AfterContactWorkEnd.IsZero() {
		d := seconds(c.AfterContactWorkEnd.Sub(c.AfterContactWorkStart))
		a.AfterContactWorkDuration = &d
	}
	return a
}

// references lists the references sorted by name, so that a record's bytes
// do not depend on map order.
func references(in map[string]domain.Reference) []Reference {
	if len(in) == 0 {
		return []Reference{}
	}
	out := make([]Reference, 0, len(in))
	for name, ref := range in {
		out = append(out, Reference{Name: name, Type: ref.Type, Value: ref.Value, Status: str(ref.Status)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func segments(in map[string]domain.SegmentValue) map[string]SegmentAttributeValue {
	if in == nil {
		return nil
	}
	out := make(map[string]SegmentAttributeValue, len(in))
	for k, v := range in {
		out[k] = segment(v)
	}
	return out
}

func segment(v domain.SegmentValue) SegmentAttributeValue {
	s := SegmentAttributeValue{ValueString: v.String, ValueInteger: v.Integer, ValueArn: v.Arn, ValueMap: segments(v.Map)}
	for _, e := range v.List {
		s.ValueList = append(s.ValueList, segment(e))
	}
	return s
}

func endpoint(e *domain.Endpoint) *Endpoint {
	if e == nil {
		return nil
	}
	return &Endpoint{Address: e.Address, Type: e.Type}
}

// ts formats a timestamp, nil (null) when unset.
func ts(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(TimestampLayout)
	return &s
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// seconds is a duration in whole seconds, as every record duration is.
func seconds(d time.Duration) int64 { return int64(d / time.Second) }
