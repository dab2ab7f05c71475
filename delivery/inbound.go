package delivery

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-smtp"

	"github.com/switchboard-cc/switchboard/chat"
	"github.com/switchboard-cc/switchboard/clock"
	"github.com/switchboard-cc/switchboard/domain"
)

// SMSInboundPath is where inbound texts are posted.
const SMSInboundPath = "/switchboard/v1/sms/inbound"

// maxSkew is how far a signed request's timestamp may be from the server's
// time; older requests are refused so a captured one cannot be replayed.
const maxSkew = 5 * time.Minute

// SMSInbound receives texts from customers: POST SMSInboundPath with JSON
// {from, to, body}, signed like outgoing texts (SignatureHeader over
// "<TimestampHeader>.<body>" with the shared secret). A text joins, as a
// CUSTOMER message, the open SMS chat between the two numbers; with none
// open, it starts one in the flow associated with the number
// (AssociatePhoneNumberContactFlow), as a text to a Connect number does.
type SMSInbound struct {
	// Service finds the chat a text joins, or starts it.
	Service *domain.Service
	Chat    *chat.Service
	Secret  []byte
	Clock   clock.Clock
	Log     *slog.Logger
}

// smsError answers a JSON error.
func smsError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}

func (h *SMSInbound) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		smsError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "POST the text as JSON {from, to, body}.")
		return
	}
	if len(h.Secret) == 0 {
		smsError(w, http.StatusForbidden, "NotConfigured", "Inbound SMS is off: set SWITCHBOARD_SMS_SECRET to the secret the SMS provider signs its requests with.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		smsError(w, http.StatusBadRequest, "BadRequest", "could not read the body")
		return
	}
	ts, err := strconv.ParseInt(r.Header.Get(TimestampHeader), 10, 64)
	if err != nil || h.Clock.Now().Sub(time.Unix(ts, 0)).Abs() > maxSkew {
		smsError(w, http.StatusUnauthorized, "Unauthorized", TimestampHeader+" must be the current Unix time in seconds (within 5 minutes).")
		return
	}
	if !hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(Sign(h.Secret, ts, body))) {
		smsError(w, http.StatusUnauthorized, "Unauthorized", SignatureHeader+" must be sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\" keyed with the shared secret>.")
		return
	}
	var in struct{ From, To, Body string }
	if err := json.Unmarshal(body, &in); err != nil || in.From == "" || in.To == "" {
		smsError(w, http.StatusBadRequest, "BadRequest", `The body must be JSON {"from": "+1…", "to": "+1…", "body": "…"}.`)
		return
	}
	if n := utf8.RuneCountInString(in.Body); n == 0 || n > chat.MaxSMSLength {
		smsError(w, http.StatusBadRequest, "BadRequest", fmt.Sprintf("body must have 1 to %d characters; it has %d.", chat.MaxSMSLength, n))
		return
	}
	c, err := h.Service.FindSMSChat(r.Context(), in.From, in.To)
	if err != nil {
		h.Log.Error("find SMS chat", "error", err)
		smsError(w, http.StatusInternalServerError, "InternalError", "try again")
		return
	}
	if c == nil {
		c, err = h.Service.StartInboundSMSChat(r.Context(), in.From, in.To)
		if errors.Is(err, domain.ErrNoSMSFlow) {
			c, err = nil, nil
		}
		switch code := domain.CodeOf(err); {
		case err == nil || code == domain.ErrInternal:
		case code == domain.ErrLimitExceeded || code == domain.ErrQuotaExceeded:
			// The instance's chat quota is full: the provider may retry
			// once chats end.
			smsError(w, http.StatusTooManyRequests, string(code), err.Error())
			return
		default:
			// A rule of the instance refused the contact (the number's
			// flow was deleted since it was associated, …).
			smsError(w, http.StatusConflict, string(code), err.Error())
			return
		}
		if err != nil {
			h.Log.Error("start chat for inbound SMS", "to", in.To, "error", err)
			smsError(w, http.StatusInternalServerError, "InternalError", "try again")
			return
		}
	}
	if c == nil {
		smsError(w, http.StatusNotFound, "NoOpenChat", fmt.Sprintf("No open SMS chat between %s and %s, and %s has no flow to start one: associate one with AssociateFlow (SMS_PHONE_NUMBER), or start a chat with StartOutboundChatContact.", in.From, in.To, in.To))
		return
	}
	sent, err := h.Chat.ReceiveCustomerMessage(r.Context(), c.InstanceID, c.ID, "text/plain", in.Body)
	if chat.IsChatError(err, chat.ErrConflict) {
		smsError(w, http.StatusConflict, "ChatEnded", err.Error())
		return
	}
	if err != nil {
		h.Log.Error("store inbound SMS", "contact", c.ID, "error", err)
		smsError(w, http.StatusInternalServerError, "InternalError", "try again")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"contactId": c.ID, "messageId": sent.ID})
}

// SMTPInbound turns mail received for an instance's email address into an
// inbound email contact (StartEmailContact), one per addressed instance
// address. Mail for other addresses is refused at RCPT.
type SMTPInbound struct {
	Service *domain.Service
	Store   domain.Store
	Log     *slog.Logger
	srv     *smtp.Server
}

// Listen starts the listener on addr and returns the bound address.
func (in *SMTPInbound) Listen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	in.srv = smtp.NewServer(in)
	in.srv.Domain = "switchboard"
	in.srv.MaxMessageBytes = 25 << 20
	in.srv.MaxRecipients = domain.MaxEmailRecipients
	in.srv.ReadTimeout, in.srv.WriteTimeout = time.Minute, time.Minute
	go func() {
		if err := in.srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			in.Log.Error("SMTP listener stopped", "error", err)
		}
	}()
	return ln.Addr().String(), nil
}

// Close stops the listener.
func (in *SMTPInbound) Close() error {
	if in.srv == nil {
		return nil
	}
	return in.srv.Close()
}

// NewSession implements smtp.Backend.
func (in *SMTPInbound) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{in: in}, nil }

type smtpRcpt struct{ instanceID, address string }

type smtpSession struct {
	in    *SMTPInbound
	from  string
	rcpts []smtpRcpt
}

func (s *smtpSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *smtpSession) Logout() error { return nil }

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

// Rcpt accepts only addresses of an instance (CreateEmailAddress).
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	iid, err := instanceOfAddress(context.Background(), s.in.Store, to)
	if err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	if iid == "" {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox: not an email address of any instance"}
	}
	s.rcpts = append(s.rcpts, smtpRcpt{instanceID: iid, address: to})
	return nil
}

func instanceOfAddress(ctx context.Context, st domain.Store, address string) (string, error) {
	var iid string
	err := st.View(ctx, func(tx domain.ReadTx) error {
		insts, err := tx.ListRecords(domain.KindInstance, "", "", 0)
		if err != nil {
			return err
		}
		for _, in := range insts {
			_, err := tx.GetRecordByName(domain.KindEmailAddress, in.ID, strings.ToLower(address))
			if err == nil {
				iid = in.ID
				return nil
			}
			if !errors.Is(err, domain.ErrStoreNotFound) {
				return err
			}
		}
		return nil
	})
	return iid, err
}

func (s *smtpSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "not an RFC 5322 message"}
	}
	subject := decodeHeader(msg.Header.Get("Subject"))
	ctype, body, err := textBody(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil || body == "" {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "the message has no text/plain or text/html part"}
	}
	from := domain.Endpoint{Type: "EMAIL_ADDRESS", Address: s.from}
	if a, err := (&mail.AddressParser{WordDecoder: headerDecoder}).Parse(msg.Header.Get("From")); err == nil {
		from.Address, from.DisplayName = a.Address, a.Name
	}
	headers := map[string]string{}
	for k, h := range map[string]string{"MESSAGE_ID": "Message-Id", "IN_REPLY_TO": "In-Reply-To", "REFERENCES": "References"} {
		if v := strings.TrimSpace(msg.Header.Get(h)); v != "" {
			headers[k] = v
		}
	}
	for _, rc := range s.rcpts {
		_, err := s.in.Service.StartEmailContact(context.Background(), domain.StartEmailParams{InstanceID: rc.instanceID,
			From: from, Destination: rc.address, MessageSourceType: "RAW", Subject: subject, Body: body, ContentType: ctype, Headers: headers})
		if err != nil {
			s.in.Log.Warn("inbound email refused", "to", rc.address, "error", err)
			var de *domain.Error
			if errors.As(err, &de) {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: de.Message}
			}
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
	}
	return nil
}
