package connectwire

import (
	"net/url"
	"testing"
)

// FuzzDecode feeds arbitrary bodies and query values through the decode and
// validate steps of a few handlers: they may reject input, never panic.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"InstanceId":"i","Name":"n"}`,
		`{"SegmentAttributes":{"a":{"ValueMap":{"b":{"ValueList":[{"ValueInteger":1}]}}}}}`,
		`{"References":{"k":{"Type":"URL","Value":"v"}},"Attachments":[{"FileName":"f"}]}`,
		`{"ScheduledTime":1e20}`, `{"ScheduledTime":"2024-01-01T00:00:00Z"}`,
		`{"Tags":{"aws:x":"y"},"MaxContacts":-1,"OutboundCallerConfig":{}}`,
	} {
		f.Add([]byte(seed), "10")
	}
	f.Fuzz(func(t *testing.T, body []byte, q string) {
		r := &Request{
			PathParams: map[string]string{"InstanceId": q, "ContactId": q, "QueueId": q},
			Query:      url.Values{"maxResults": {q}, "queueTypes": {q}},
			Body:       body,
		}
		check := func(err error) {
			switch err.(type) {
			case nil, *SerializationError, *ValidationError:
			default:
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if err != nil {
				_ = err.Error()
			}
		}
		_, err := decodeStartTaskContact(r)
		check(err)
		_, err = decodeStartChatContact(r)
		check(err)
		_, err = decodeCreateQueue(r)
		check(err)
		_, err = decodeUpdateContactRoutingData(r)
		check(err)
		_, err = decodeListQueues(r)
		check(err)
		_, err = decodeSearchContacts(r)
		check(err)
	})
}
