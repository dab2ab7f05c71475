package chat

import (
	"encoding/json"
	"slices"
)

// The client frames chatjs's websocket manager sends and the answers it
// waits for (see docs of the chat protocol): subscribe/unsubscribe, the
// heartbeat it needs answered within 10 s, and the deep-heartbeat ping.
const (
	topicSubscribe   = "aws/subscribe"
	topicUnsubscribe = "aws/unsubscribe"
	topicHeartbeat   = "aws/heartbeat"
	topicPing        = "aws/ping"
	topicChat        = "aws/chat"
)

// subChange is what a frame did to the socket's aws/chat subscription.
type subChange int

const (
	subNone subChange = iota
	subOn
	subOff
)

type clientFrame struct {
	Topic   string          `json:"topic"`
	Content json.RawMessage `json:"content"`
}

type topicsContent struct {
	Topics []string `json:"topics"`
}

// handleFrame answers one client frame. reply is nil when the frame needs
// no answer (unknown topics are ignored, as the service ignores them).
// It is pure so that it can be fuzzed.
func handleFrame(data []byte) (reply []byte, change subChange) {
	var f clientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		// A frame without a topic is how the service reports errors;
		// chatjs turns it into a topic-failure callback.
		return errorFrame("Bad request: frames are JSON objects with a topic"), subNone
	}
	switch f.Topic {
	case topicHeartbeat:
		return mustJSON(map[string]string{"topic": topicHeartbeat}), subNone
	case topicPing:
		return mustJSON(map[string]any{"topic": topicPing, "statusCode": 200, "statusContent": "OK"}), subNone
	case topicSubscribe, topicUnsubscribe:
		var tc topicsContent
		if len(f.Content) > 0 {
			if err := json.Unmarshal(f.Content, &tc); err != nil {
				return mustJSON(map[string]any{"topic": f.Topic, "content": map[string]any{"status": "failure", "topics": []string{}}}), subNone
			}
		}
		known := slices.Contains(tc.Topics, topicChat)
		status, change := "failure", subNone
		if known {
			status, change = "success", subOn
			if f.Topic == topicUnsubscribe {
				change = subOff
			}
		}
		// Only aws/chat exists; the answer lists what was (un)subscribed.
		topics := []string{}
		if known {
			topics = []string{topicChat}
		}
		return mustJSON(map[string]any{"topic": f.Topic, "content": map[string]any{"status": status, "topics": topics}}), change
	}
	return nil, subNone
}

func errorFrame(msg string) []byte {
	return mustJSON(map[string]string{"message": msg})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings and numbers are encoded here
	}
	return b
}
