package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"

	"github.com/switchboard-cc/switchboard/domain"
)

// SMTPRelay sends outgoing email to a relay. Username and Password (from
// SWITCHBOARD_SMTP_USERNAME / SWITCHBOARD_SMTP_PASSWORD) turn on AUTH
// PLAIN, which net/smtp only allows over TLS or to localhost; STARTTLS is
// used whenever the relay offers it.
type SMTPRelay struct {
	Addr               string
	Username, Password string
	// HeloName is the name given in EHLO ("localhost" when empty).
	HeloName string
}

// Send implements Sink.
func (s *SMTPRelay) Send(ctx context.Context, row domain.OutboxRow) error {
	var m domain.OutboundEmail
	if err := json.Unmarshal(row.Data, &m); err != nil {
		return fmt.Errorf("decode outgoing email: %w", err)
	}
	msg, err := RenderMIME(&m)
	if err != nil {
		return err
	}
	var rcpts []string
	for _, e := range append(append([]domain.Endpoint{}, m.To...), m.Cc...) {
		rcpts = append(rcpts, e.Address)
	}
	return s.sendMail(ctx, m.From.Address, rcpts, msg)
}

func (s *SMTPRelay) sendMail(ctx context.Context, from string, to []string, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	helo := s.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return err
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// address renders an endpoint as an RFC 5322 address (display names
// encoded as needed).
func address(e domain.Endpoint) string {
	return (&mail.Address{Name: e.DisplayName, Address: e.Address}).String()
}

// RenderMIME renders an outgoing email as a MIME message with CRLF line
// ends: a single text part, quoted-printable UTF-8.
func RenderMIME(m *domain.OutboundEmail) ([]byte, error) {
	if len(m.To) == 0 {
		return nil, errors.New("email without a recipient")
	}
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	list := func(es []domain.Endpoint) string {
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = address(e)
		}
		return strings.Join(parts, ", ")
	}
	hdr("From", address(m.From))
	hdr("To", list(m.To))
	if len(m.Cc) > 0 {
		hdr("Cc", list(m.Cc))
	}
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", m.Date.UTC().Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	hdr("Message-ID", "<"+m.MessageID+">")
	if m.InReplyTo != "" {
		hdr("In-Reply-To", m.InReplyTo)
	}
	if len(m.References) > 0 {
		hdr("References", strings.Join(m.References, " "))
	}
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", mime.FormatMediaType(m.ContentType, map[string]string{"charset": "utf-8"}))
	hdr("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// QuotedReader decodes a quoted-printable body.
func QuotedReader(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }
