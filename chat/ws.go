package chat

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/domain"
)

const (
	// maxFrame bounds a client frame; chatjs frames are tiny.
	maxFrame = 64 << 10
	// writeTimeout bounds one frame write; a socket that cannot take a
	// frame in that time is dropped.
	writeTimeout = 10 * time.Second
)

// ServeWebsocket serves the URL CreateParticipantConnection returned:
// ?token= authenticates the upgrade (the browser sends no headers), then
// the socket speaks the frames of handleFrame and receives pushes.
func (s *Service) ServeWebsocket(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	var ss *session
	err := s.store.View(r.Context(), func(tx domain.ReadTx) error {
		now := s.now()
		var err error
		if ss, err = s.authenticate(tx, kindWebsocket, token, now); err != nil {
			return err
		}
		return s.live(tx, ss, now)
	})
	if err != nil {
		status, msg := http.StatusInternalServerError, "internal error"
		if e, ok := err.(*Error); ok {
			status, msg = http.StatusForbidden, e.Message
		} else {
			s.log.Error("websocket authentication", "err", err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
		return
	}
	// The token in the URL is the authentication, and chat widgets live on
	// other origins than the server: no origin check.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept has answered the client
	}
	ws.SetReadLimit(maxFrame)
	key := chatKey(ss.contact.InstanceID, ss.contact.ID)
	c := newConn(ss.participant.ID)
	c.ws = ws
	if !s.hub.register(key, c) {
		ws.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	// The handler returns and leaves the socket to a reader goroutine of
	// its own (and to a writer while frames wait, hub.go): the connection
	// is hijacked, so net/http is done with it, and returning lets go of
	// what this goroutine's frames held for the socket's whole life (the
	// request and its headers, net/http's response and connection state,
	// a deep stack), a third of an idle socket's heap. Close (shutdown)
	// reaches the sockets through the hub.
	go s.readLoop(ws, c)
}

// readLoop answers client frames until the socket fails or closes, then
// stops the writer and takes the socket out of the hub.
func (s *Service) readLoop(ws *websocket.Conn, c *conn) {
	defer s.hub.unregister(c)
	defer c.stop(websocket.StatusNormalClosure, "")
	ctx := context.Background()
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			if !c.send(errorFrame("Bad request: frames are JSON text")) {
				c.stop(websocket.StatusPolicyViolation, "client too slow")
			}
			continue
		}
		reply, change := handleFrame(data)
		switch change {
		case subOn:
			c.subscribed.Store(true)
		case subOff:
			c.subscribed.Store(false)
		}
		if reply != nil && !c.send(reply) {
			c.stop(websocket.StatusPolicyViolation, "client too slow")
		}
	}
}
