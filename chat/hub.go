package chat

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
)

// sendQueue is how many frames a socket may have waiting. A client that
// lets more pile up is too slow: it is disconnected (it reconnects and
// reads what it missed with GetTranscript, as chatjs does) rather than
// slowing the chat down for everybody.
const sendQueue = 64

// Hub keeps the open sockets of every chat and fans items out to them.
// Publishing never blocks: it only queues frames.
type Hub struct {
	log *slog.Logger

	mu     sync.Mutex
	chats  map[string][]*conn // oldest first
	closed bool
}

func newHub(log *slog.Logger) *Hub { return &Hub{log: log, chats: map[string][]*conn{}} }

// conn is one socket as the hub sees it. The socket's reader goroutine
// (ws.go) owns reading; writing is done by a goroutine started only while
// frames are waiting, so an idle socket costs one goroutine, not two: the
// stacks of 10,000 idle writers were a third of the memory of an idle
// chat server and, scanned by every garbage collection, a visible part of
// the message latency under load (chat/BENCHMARKS.md).
type conn struct {
	participantID string
	// key is the chat the socket is in, guarded by the hub's lock: a
	// chat that goes on in a new contact takes its customer's sockets
	// along (move).
	key        string
	subscribed atomic.Bool
	// ws is the socket; nil in unit tests, where frames stay queued.
	ws *websocket.Conn

	mu sync.Mutex
	// queue holds frames to write, oldest first; a nil frame asks for the
	// socket to be closed normally once the frames before it are written.
	queue [][]byte
	// writing is true while a flush goroutine runs (or has closed the
	// socket): at most one writes, so frames keep their order.
	writing bool

	once   sync.Once
	done   chan struct{} // closed to stop the socket at once
	code   websocket.StatusCode
	reason string
}

func newConn(participantID string) *conn {
	return &conn{participantID: participantID, done: make(chan struct{})}
}

// stop ends the socket now with code: a running flush closes it after the
// frame it is writing, or a goroutine of its own does.
func (c *conn) stop(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		c.code, c.reason = code, reason
		close(c.done)
		c.mu.Lock()
		idle := !c.writing && c.ws != nil
		c.writing = true
		c.queue = nil
		c.mu.Unlock()
		if idle {
			go c.close()
		}
	})
}

// close closes the stopped socket with its code.
func (c *conn) close() {
	if c.code == websocket.StatusNormalClosure && c.reason == "" {
		// The reader ended: the socket is gone already.
		c.ws.CloseNow()
		return
	}
	c.ws.Close(c.code, c.reason)
}

// send queues a frame; false when sendQueue frames are already waiting.
// A stopped socket takes frames and drops them.
func (c *conn) send(frame []byte) bool {
	c.mu.Lock()
	if len(c.queue) >= sendQueue {
		c.mu.Unlock()
		return false
	}
	start := false
	select {
	case <-c.done:
	default:
		c.queue = append(c.queue, frame)
		start = !c.writing && c.ws != nil
		if start {
			c.writing = true
		}
	}
	c.mu.Unlock()
	if start {
		go c.flush()
	}
	return true
}

// flush writes the queued frames, in order, until none are left.
func (c *conn) flush() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 {
			select {
			case <-c.done:
				// stop came while this goroutine was writing and left
				// the closing to it (writing stays true: nobody else
				// writes or closes).
				c.mu.Unlock()
				c.close()
				return
			default:
			}
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, frame := range batch {
			select {
			case <-c.done:
				c.close()
				return
			default:
			}
			if frame == nil {
				c.once.Do(func() { c.code, c.reason = websocket.StatusNormalClosure, "chat ended"; close(c.done) })
				c.ws.Close(websocket.StatusNormalClosure, "chat ended")
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
			err := c.ws.Write(ctx, websocket.MessageText, frame)
			cancel()
			if err != nil {
				c.once.Do(func() { close(c.done) })
				c.ws.CloseNow()
				return
			}
		}
	}
}

// finish closes the socket normally after what is queued.
func (c *conn) finish() {
	if !c.send(nil) {
		c.stop(websocket.StatusNormalClosure, "chat ended")
	}
}

// register adds a socket; beyond maxSocketsPerPartipant for one
// participant the oldest is closed (chatjs opens a new socket before it
// closes the old one, so two at a time is normal).
func (h *Hub) register(key string, c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	c.key = key
	list := append(h.chats[key], c)
	n := 0
	for _, o := range list {
		if o.participantID == c.participantID {
			n++
		}
	}
	for i := 0; n > maxSocketsPerPartipant && i < len(list); i++ {
		if list[i].participantID == c.participantID {
			list[i].stop(websocket.StatusPolicyViolation, "too many connections for this participant")
			list = slices.Delete(list, i, i+1)
			i--
			n--
		}
	}
	h.chats[key] = list
	return true
}

func (h *Hub) unregister(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c.key, c)
}

func (h *Hub) removeLocked(key string, c *conn) {
	list := slices.DeleteFunc(h.chats[key], func(o *conn) bool { return o == c })
	if len(list) == 0 {
		delete(h.chats, key)
	} else {
		h.chats[key] = list
	}
}

// move takes a participant's sockets from one chat key to another: the
// chat went on in a new contact, and the customer's open sockets receive
// the new contact's items without reconnecting.
func (h *Hub) move(from, to, participantID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range slices.Clone(h.chats[from]) {
		if c.participantID != participantID {
			continue
		}
		h.removeLocked(from, c)
		c.key = to
		h.chats[to] = append(h.chats[to], c)
	}
}

// pushFrame is the aws/chat frame carrying an item; its content is the
// item as a JSON string, which chatjs parses.
func pushFrame(it *Item) []byte {
	item, _ := json.Marshal(it)
	frame, _ := json.Marshal(struct {
		Topic       string `json:"topic"`
		ContentType string `json:"contentType"`
		Content     string `json:"content"`
	}{"aws/chat", "application/json", string(item)})
	return frame
}

// publish pushes an item to every subscribed socket of a chat.
func (h *Hub) publish(key string, it *Item) { h.push(key, "", it) }

// publishTo pushes an item to one participant's sockets.
func (h *Hub) publishTo(key, participantID string, it *Item) { h.push(key, participantID, it) }

func (h *Hub) push(key, participantID string, it *Item) {
	frame := pushFrame(it)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.chats[key] {
		if participantID != "" && c.participantID != participantID {
			continue
		}
		if !c.subscribed.Load() {
			continue
		}
		if !c.send(frame) {
			h.log.Info("chat socket too slow; closing it", "chat", key, "participant", c.participantID)
			c.stop(websocket.StatusPolicyViolation, "client too slow")
		}
	}
}

// closeChat closes every socket of a chat after its queued frames.
func (h *Hub) closeChat(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.chats[key] {
		c.finish()
	}
}

// closeParticipant closes one participant's sockets after their queued
// frames.
func (h *Hub) closeParticipant(key, participantID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.chats[key] {
		if c.participantID == participantID {
			c.finish()
		}
	}
}

// closeAll stops every socket and refuses new ones (shutdown).
func (h *Hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, list := range h.chats {
		for _, c := range list {
			c.stop(websocket.StatusGoingAway, "server shutting down")
		}
	}
}

// sockets counts a chat's open sockets (tests).
func (h *Hub) sockets(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.chats[key])
}
