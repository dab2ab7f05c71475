package chat

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboard-cc/switchboard/domain"
)

// Views in chat. A flow's ShowView block sends the customer an interactive
// message naming a view by a token; the customer's client reads the view
// with the participant service's DescribeView and answers with an
// interactive.response message naming the action chosen. Connect's view
// token is encrypted; Switchboard's is a readable, unguessable handle:
// base64url of the contact, the view (with its version) and a random
// nonce. DescribeView answers it only on a connection of that contact, so
// a customer can read only views shown in their own chat.

// ViewTemplateType is the interactive message's templateType for a view.
const ViewTemplateType = "ViewResource"

// viewToken is what a view token encodes.
type viewToken struct {
	ContactID string `json:"c"`
	View      string `json:"v"`
	Nonce     string `json:"n"`
}

// viewMessage is the interactive message ShowView sends. The customer
// answers with CTInteractiveResponse content of the same shape, with
// Action (and any Output the view collected) in data.content.
type viewMessage struct {
	TemplateType string          `json:"templateType"`
	Version      string          `json:"version"`
	Data         viewMessageData `json:"data"`
}

type viewMessageData struct {
	Content viewMessageContent `json:"content"`
}

type viewMessageContent struct {
	ViewID    string         `json:"viewId,omitempty"`
	ViewArn   string         `json:"viewArn,omitempty"`
	ViewName  string         `json:"viewName,omitempty"`
	ViewToken string         `json:"viewToken"`
	ViewData  map[string]any `json:"viewData,omitempty"`
	// The customer's answer.
	Action string         `json:"action,omitempty"`
	Output map[string]any `json:"output,omitempty"`
}

// ShowView sends the view v (as DescribeView found it, ref naming it with
// its version) to the chat's customer with data, and returns the token
// the customer's answer must carry.
func (s *Service) ShowView(ctx context.Context, instanceID, contactID, ref string, v *domain.View, data map[string]any) (string, error) {
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	raw, err := json.Marshal(viewToken{ContactID: contactID, View: ref, Nonce: base64.RawURLEncoding.EncodeToString(nonce)})
	if err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	msg, err := json.Marshal(viewMessage{TemplateType: ViewTemplateType, Version: "1.0", Data: viewMessageData{Content: viewMessageContent{
		ViewID: v.ID, ViewArn: v.Arn, ViewName: v.Name, ViewToken: token, ViewData: data}}})
	if err != nil {
		return "", err
	}
	if _, err := s.SendSystemMessage(ctx, instanceID, contactID, CTInteractive, string(msg)); err != nil {
		return "", err
	}
	return token, nil
}

// parseViewToken decodes a view token; ok is false for anything
// ShowView did not make.
func parseViewToken(token string) (viewToken, bool) {
	var vt viewToken
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || json.Unmarshal(raw, &vt) != nil || vt.ContactID == "" || vt.View == "" {
		return viewToken{}, false
	}
	return vt, true
}

// ViewAnswer is a customer's answer to a view.
type ViewAnswer struct {
	Token, Action string
	Output        map[string]any
}

// ParseViewAnswer reads a customer message as an answer to a view: an
// interactive.response whose content names the view token and an action.
func ParseViewAnswer(contentType, content string) (ViewAnswer, bool) {
	if contentType != CTInteractiveResponse {
		return ViewAnswer{}, false
	}
	var m viewMessage
	if json.Unmarshal([]byte(content), &m) != nil || m.TemplateType != ViewTemplateType {
		return ViewAnswer{}, false
	}
	c := m.Data.Content
	if c.ViewToken == "" || strings.TrimSpace(c.Action) == "" {
		return ViewAnswer{}, false
	}
	return ViewAnswer{Token: c.ViewToken, Action: c.Action, Output: c.Output}, true
}

// DescribeView is the participant service's DescribeView: the view a
// token from this chat names, as it was shown.
func (s *Service) DescribeView(ctx context.Context, connectionToken, token string) (*domain.View, error) {
	var instanceID, contactID string
	err := s.store.View(ctx, func(tx domain.ReadTx) error {
		ss, err := s.authenticate(tx, kindConnection, connectionToken, s.now())
		if err != nil {
			return err
		}
		instanceID, contactID = ss.contact.InstanceID, ss.contact.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	short := fmt.Sprintf("%.64s", token)
	vt, ok := parseViewToken(token)
	if !ok || vt.ContactID != contactID {
		return nil, &Error{Code: ErrNotFound, Message: "View token " + short + " does not name a view shown in this chat.", ResourceID: short}
	}
	v, err := s.dom.DescribeView(ctx, instanceID, vt.View)
	if err != nil {
		if domain.CodeOf(err) == domain.ErrNotFound {
			return nil, &Error{Code: ErrNotFound, Message: "The view this token names no longer exists: " + err.Error(), ResourceID: short}
		}
		return nil, err
	}
	return v, nil
}
