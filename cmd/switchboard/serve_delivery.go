package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/switchboard-cc/switchboard/delivery"
)

// deliveryFlags are the flags of outgoing chat streams, texts, push
// notifications and email.
// Secrets come from the environment, never from flags (which show in ps).
func (m *Main) deliveryFlags(fs *flag.FlagSet) {
	fs.Func("streaming-endpoint", delivery.StreamingSpecHelp, func(spec string) error {
		arn, ep, err := delivery.ParseEndpointSpec(spec)
		if err != nil {
			return err
		}
		if m.Delivery.StreamingEndpoints == nil {
			m.Delivery.StreamingEndpoints = map[string]delivery.Endpoint{}
		}
		m.Delivery.StreamingEndpoints[arn] = ep
		return nil
	})
	fs.StringVar(&m.Delivery.NATSURL, "nats-url", envOr("NATS_URL", "nats://127.0.0.1:4222"), "`URL` of the NATS server of nats: streaming endpoints")
	fs.Func("sms-webhook", "`URL` receiving the texts of SMS chats as POSTed JSON {from, to, body, contactId, messageId}, signed with SWITCHBOARD_SMS_SECRET when set", func(s string) error {
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			return fmt.Errorf("want an http(s):// URL")
		}
		m.Delivery.SMSWebhook = s
		return nil
	})
	fs.Func("push-webhook", "`URL` receiving the push notifications of chats that mobile devices registered for (CreatePushNotificationRegistration) as POSTed JSON, signed with SWITCHBOARD_PUSH_SECRET when set", func(s string) error {
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			return fmt.Errorf("want an http(s):// URL")
		}
		m.Delivery.PushWebhook = s
		return nil
	})
	fs.Func("smtp-relay", "`host:port` of the SMTP relay sending outgoing email (SWITCHBOARD_SMTP_USERNAME and SWITCHBOARD_SMTP_PASSWORD turn on AUTH PLAIN)", func(s string) error {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return fmt.Errorf("want host:port: %v", err)
		}
		m.Delivery.SMTPRelay.Addr = s
		m.Delivery.SMTPRelay.Username = os.Getenv("SWITCHBOARD_SMTP_USERNAME")
		m.Delivery.SMTPRelay.Password = os.Getenv("SWITCHBOARD_SMTP_PASSWORD")
		return nil
	})
	fs.Func("smtp-listen", "`host:port` to receive email on: mail to an instance's email address starts an inbound email contact", func(s string) error {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return fmt.Errorf("want host:port: %v", err)
		}
		m.SMTPListen = s
		return nil
	})
	if v := os.Getenv("SWITCHBOARD_SMS_SECRET"); v != "" {
		m.Delivery.SMSSecret = []byte(v)
	}
	if v := os.Getenv("SWITCHBOARD_PUSH_SECRET"); v != "" {
		m.Delivery.PushSecret = []byte(v)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
