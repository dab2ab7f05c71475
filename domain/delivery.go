package domain

import (
	"encoding/json"
	"time"
)

// Outgoing traffic (chat streaming, SMS, email) leaves the server through an
// outbox: the row is written in the same transaction as the change that
// causes it (a chat message, an email contact), so a committed change is
// never lost on its way out, and package delivery sends the rows to their
// sinks after the commit, retrying until a sink accepts them.

// OutboxRow is one message waiting to leave the server.
type OutboxRow struct {
	// Seq is assigned by the store on append and increases with every
	// append; rows of one Stream are delivered in Seq order.
	Seq int64
	// Stream groups the rows whose order matters (one contact's messages
	// to one endpoint).
	Stream string
	// Target names the sink (OutboxSMS, OutboxEmail, OutboxPush, or
	// OutboxStreamPrefix + endpoint ARN).
	Target      string
	InstanceID  string
	Attempts    int
	NextAttempt time.Time
	CreatedAt   time.Time
	// Data is the message as the sink sends it.
	Data []byte
}

// Outbox targets.
const (
	OutboxSMS          = "sms"
	OutboxEmail        = "email"
	OutboxPush         = "push"
	OutboxStreamPrefix = "stream:"
)

// OutboundSMS is an OutboxSMS row's Data: the JSON the SMS webhook gets.
type OutboundSMS struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Body      string `json:"body"`
	ContactID string `json:"contactId"`
	MessageID string `json:"messageId"`
}

// OutboundEmail is an OutboxEmail row's Data: everything needed to render
// the MIME message, fixed when the email is accepted so that a retry sends
// the same message (same Message-ID and Date).
type OutboundEmail struct {
	InstanceID  string
	ContactID   string `json:",omitempty"`
	MessageID   string // without angle brackets
	Date        time.Time
	From        Endpoint
	To          []Endpoint
	Cc          []Endpoint `json:",omitempty"`
	Subject     string
	Body        string
	ContentType string
	// InReplyTo and References thread a reply to an inbound email (message
	// IDs with angle brackets, as in the headers).
	InReplyTo  string   `json:",omitempty"`
	References []string `json:",omitempty"`
}

// outboxRow builds a row to append.
func outboxRow(instanceID, stream, target string, v any, now time.Time) (OutboxRow, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return OutboxRow{}, err
	}
	return OutboxRow{Stream: stream, Target: target, InstanceID: instanceID, NextAttempt: now, CreatedAt: now, Data: data}, nil
}
