package domain

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"maps"
	"strings"
	"time"
)

// The operations that start contacts. Each runs in one transaction: the
// checks, the quota count, the contact, its attributes and its idempotency
// record commit together, so a retry with the same ClientToken either finds
// the finished contact or none at all.

// Default lifetimes of contacts (shared/spec/connect-semantics.md §1.8).
const (
	DefaultChatMinutes = 25 * 60
	DefaultTaskExpiry  = 7 * 24 * time.Hour
	DefaultEmailExpiry = 14 * 24 * time.Hour
)

// StartTaskParams are the inputs of StartTaskContact.
type StartTaskParams struct {
	InstanceID        string
	PreviousContactID string
	ContactFlowID     string
	Attributes        map[string]string
	Name              string
	References        map[string]Reference
	Description       string
	ClientToken       string
	ScheduledTime     time.Time
	TaskTemplateID    string
	QuickConnectID    string
	RelatedContactID  string
	SegmentAttributes map[string]SegmentValue
	Attachments       []Attachment
}

// StartTaskContact starts a task contact.
func (s *Service) StartTaskContact(ctx context.Context, p StartTaskParams) (string, error) {
	const op = "StartTaskContact"
	n := 0
	for _, v := range []string{p.ContactFlowID, p.QuickConnectID, p.TaskTemplateID} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return "", Errorf(ErrInvalidRequest, "Specify exactly one of ContactFlowId, QuickConnectId and TaskTemplateId (got %d).", n)
	}
	if p.PreviousContactID != "" && p.RelatedContactID != "" {
		return "", Errorf(ErrInvalidRequest, "PreviousContactId and RelatedContactId cannot be used together: PreviousContactId links the task into a chain, RelatedContactId only copies attributes. Pass one of them.")
	}
	if err := validateAttributes(p.Attributes, ErrInvalidParameter); err != nil {
		return "", err
	}
	if err := validateReferences(p.References, refTypesTask, op, ErrInvalidParameter); err != nil {
		return "", err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidParameter); err != nil {
		return "", err
	}
	var id string
	var created *Contact // set when this call created the contact
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, provesInstance(s, p.InstanceID, func(tx Tx, iid string) error {
		now := s.now()
		var err error
		cid := s.newID()
		if id, err = s.claimToken(tx, iid, tok, cid, now); err != nil || id != "" {
			return err
		}
		if err := s.checkSchedule(p.ScheduledTime, now, "ScheduledTime"); err != nil {
			return err
		}
		c := s.newContact(cid, iid, "TASK", "API", now)
		c.Name, c.Description, c.References, c.SegmentAttributes, c.Attachments = p.Name, p.Description, p.References, p.SegmentAttributes, p.Attachments
		// Resolve the flow that will run the task.
		switch {
		case p.ContactFlowID != "":
			fid, err := s.flowID(tx, iid, p.ContactFlowID)
			if err != nil {
				return err
			}
			c.ContactFlowID = fid
		case p.QuickConnectID != "":
			// The quick connect's destination is the target queue the flow
			// starts with, as for TransferContact.
			dest, err := quickConnectDestination(tx, iid, p.QuickConnectID, "tasks can be started with")
			if err != nil {
				return err
			}
			c.ContactFlowID, c.TransferQueueID, c.TransferAgentID = dest.flowID, dest.queueID, dest.agentID
		case p.TaskTemplateID != "":
			tt, err := getDoc[TaskTemplate](tx, KindTaskTemplate, iid, idFromARN(p.TaskTemplateID, "task-template"))
			if err != nil {
				return mapNotFound(err, "Task template", p.TaskTemplateID)
			}
			if tt.ContactFlowID == "" {
				return Errorf(ErrInvalidRequest, "Task template %s (%s) has no ContactFlowId; set one on the template, or pass ContactFlowId instead of TaskTemplateId.", tt.ID, tt.Name)
			}
			if tt.Status == "INACTIVE" {
				return Errorf(ErrInvalidRequest, "Task template %s (%s) is INACTIVE; activate it with UpdateTaskTemplate first.", tt.ID, tt.Name)
			}
			if err := applyTemplate(tt, c); err != nil {
				return err
			}
			c.ContactFlowID, c.TaskTemplateID, c.TaskTemplateName = tt.ContactFlowID, tt.ID, tt.Name
		}
		attrs, err := s.relatedAttributes(tx, iid, p.RelatedContactID)
		if err != nil {
			return err
		}
		c.RelatedContactID = p.RelatedContactID
		if p.PreviousContactID != "" {
			prev, err := s.getContact(tx, iid, p.PreviousContactID)
			if err != nil {
				return err
			}
			linked, err := tx.CountContacts(ContactQuery{InstanceID: iid, PreviousContactID: prev.ID, Channels: []string{"TASK"}})
			if err != nil {
				return err
			}
			if linked >= s.quotas.LinkedTasks {
				return Errorf(ErrQuotaExceeded, "Contact %s already has %d linked tasks, the most a PreviousContactId may have.", prev.ID, linked)
			}
			// Linked tasks join the previous contact's chain and share its
			// attributes.
			c.PreviousContactID, c.InitialContactID, c.ContactAssociationID = prev.ID, prev.InitialContactID, prev.ContactAssociationID
			if attrs, err = s.attributesOf(tx, prev); err != nil {
				return err
			}
		}
		expiry := DefaultTaskExpiry
		if v, ok := p.SegmentAttributes["connect:ContactExpiry"]; ok {
			m, _ := contactExpiryMinutes(v, ErrInvalidParameter)
			expiry = time.Duration(m) * time.Minute
		}
		if !p.ScheduledTime.IsZero() {
			c.State, c.ScheduledTime = StateScheduled, p.ScheduledTime.UTC()
			c.ExpiryTime = c.ScheduledTime.Add(expiry)
		} else {
			c.ConnectedToSystemTime = now
			c.ExpiryTime = now.Add(expiry)
		}
		id, created = c.ID, c
		return s.commitNew(tx, c, attrs, p.Attributes, ErrInvalidParameter, now)
	}))
	if err == nil {
		s.notifyStarted(ctx, created)
	}
	return id, err
}

// provesInstance runs fn for an operation that finds, in the instance,
// a resource it cannot do without (StartTaskContact's flow, quick connect
// or template): finding it proves the instance exists, because an
// instance's resources are deleted with it, so the instance is not looked
// up first. That is one read less on the single writer for every task.
// When fn fails with ResourceNotFoundException the instance is looked up
// then, and an unknown instance is reported as such rather than as the
// resource missing from it. An idempotent replay needs no proof either: a
// ClientToken is only found in the instance that stored it.
func provesInstance(s *Service, instanceID string, fn func(tx Tx, iid string) error) func(Tx) error {
	return func(tx Tx) error {
		err := fn(tx, instanceIDFrom(instanceID))
		if err != nil && CodeOf(err) == ErrNotFound {
			if _, ierr := s.instanceID(tx, instanceID); ierr != nil {
				return ierr
			}
		}
		return err
	}
}

// commitNew stores a new contact: the attributes of its chain (base — the
// related or previous contact's — with extra on top, checked against the
// size limit with code), the channel's concurrency quota unless the contact
// starts ended, and the contact itself. Its ClientToken was claimed when
// the operation began (claimToken).
func (s *Service) commitNew(tx Tx, c *Contact, base, extra map[string]string, code ErrorCode, now time.Time) error {
	attrs := mergeAttributes(base, extra)
	if err := validateAttributes(attrs, code); err != nil {
		return err
	}
	// A contact created ended (CreateContact InitiateAs COMPLETED) is never
	// active, so it takes no room in the concurrent-contacts quota; one
	// that its flow ends at once (below) still counts, as it did start.
	if !c.Ended() {
		if err := s.checkChannelQuota(tx, c.InstanceID, c.Channel); err != nil {
			return err
		}
	}
	attrs, err := s.preFlow(context.Background(), c, attrs, now)
	if err != nil {
		return err
	}
	// A contact that starts its chain keeps small attributes in its own
	// row (Contact.ChainAttributes): three B-tree writes fewer per new
	// chain than a record of their own, with its key and instance index.
	c.ChainAttributes = nil
	if c.ID == c.InitialContactID && attributesSize(attrs) <= inlineAttributesMax {
		c.ChainAttributes = maps.Clone(attrs)
	} else if err := s.putAttributes(tx, c.InstanceID, c.InitialContactID, attrs, now); err != nil {
		return err
	}
	c.StartAttributes = attrs
	return s.putContact(tx, c)
}

// checkSchedule enforces the task scheduling window.
func (s *Service) checkSchedule(t, now time.Time, field string) error {
	if t.IsZero() {
		return nil
	}
	if t.Before(now) {
		return Errorf(ErrInvalidRequest, "%s %s is in the past (server time is %s); schedule the task for a future time.", field, t.UTC().Format(time.RFC3339), now.Format(time.RFC3339))
	}
	horizon := time.Duration(s.quotas.ScheduleHorizonDays) * 24 * time.Hour
	if t.Sub(now) > horizon {
		return Errorf(ErrInvalidRequest, "%s %s is more than %d days ahead; tasks can be scheduled at most %d days in advance.", field, t.UTC().Format(time.RFC3339), s.quotas.ScheduleHorizonDays, s.quotas.ScheduleHorizonDays)
	}
	return nil
}

// applyTemplate fills defaults from a task template and checks its required
// fields. System fields are Name, Description and Scheduled time; other
// fields are carried as references named after the field.
func applyTemplate(tt *TaskTemplate, c *Contact) error {
	for _, d := range tt.Defaults {
		switch d.Field {
		case "Name":
			if c.Name == "" {
				c.Name = d.Value
			}
		case "Description":
			if c.Description == "" {
				c.Description = d.Value
			}
		default:
			if _, ok := c.References[d.Field]; !ok {
				if c.References == nil {
					c.References = map[string]Reference{}
				}
				c.References[d.Field] = Reference{Type: fieldRefType(tt, d.Field), Value: d.Value}
			}
		}
	}
	for _, f := range tt.Constraints.Required {
		var present bool
		switch f {
		case "Name":
			present = c.Name != ""
		case "Description":
			present = c.Description != ""
		case "Scheduled time":
			present = !c.ScheduledTime.IsZero()
		default:
			_, present = c.References[f]
		}
		if !present {
			return Errorf(ErrInvalidRequest, "Task template %s requires the field %q; pass it (custom fields go in References under the field's name).", tt.Name, f)
		}
	}
	return nil
}

// fieldRefType maps a template field type to the reference type that
// carries its value.
func fieldRefType(tt *TaskTemplate, field string) string {
	for _, f := range tt.Fields {
		if f.Name == field {
			switch f.Type {
			case "URL", "NUMBER", "DATE_TIME", "EMAIL":
				if f.Type == "DATE_TIME" {
					return "DATE"
				}
				return f.Type
			}
		}
	}
	return "STRING"
}

// StartChatParams are the inputs of StartChatContact.
type StartChatParams struct {
	InstanceID                     string
	ContactFlowID                  string
	Attributes                     map[string]string
	DisplayName                    string
	ResponseMode                   string
	InitialMessageType             string
	InitialMessage                 string
	HasInitialMessage              bool
	ClientToken                    string
	ChatDurationInMinutes          int
	SupportedMessagingContentTypes []string
	HasPersistentChat              bool
	RehydrationType                string
	SourceContactID                string
	RelatedContactID               string
	SegmentAttributes              map[string]SegmentValue
	CustomerID                     string
	DisconnectOnCustomerExit       []string
}

// ChatStarted is the result of StartChatContact.
type ChatStarted struct {
	ContactID, ParticipantID, ParticipantToken, ContinuedFromContactID string
}

// StartChatContact starts a chat contact for a customer participant.
func (s *Service) StartChatContact(ctx context.Context, p StartChatParams) (*ChatStarted, error) {
	const op = "StartChatContact"
	if err := validateSupportedContentTypes(p.SupportedMessagingContentTypes); err != nil {
		return nil, err
	}
	if segmentString(p.SegmentAttributes, "connect:Subtype") == "connect:Guide" {
		for _, t := range []string{"application/vnd.amazonaws.connect.message.interactive", "application/vnd.amazonaws.connect.message.interactive.response"} {
			if !contains(p.SupportedMessagingContentTypes, t) {
				return nil, Errorf(ErrInvalidRequest, "A connect:Guide chat must list %s in SupportedMessagingContentTypes.", t)
			}
		}
	}
	if p.HasInitialMessage {
		if err := validateChatMessage("InitialMessage", p.InitialMessageType, p.InitialMessage); err != nil {
			return nil, err
		}
	}
	if p.HasPersistentChat {
		if p.RehydrationType == "" {
			return nil, Errorf(ErrInvalidRequest, "PersistentChat.RehydrationType is required with PersistentChat: ENTIRE_PAST_SESSION or FROM_SEGMENT.")
		}
		if p.SourceContactID == "" {
			return nil, Errorf(ErrInvalidRequest, "PersistentChat.SourceContactId is required with PersistentChat: the contact of the past chat to continue.")
		}
		if p.RelatedContactID != "" {
			return nil, Errorf(ErrInvalidRequest, "PersistentChat and RelatedContactId cannot be used together; a persistent chat is related to the contact it continues.")
		}
	}
	if err := validateAttributes(p.Attributes, ErrInvalidParameter); err != nil {
		return nil, err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidParameter); err != nil {
		return nil, err
	}
	var out *ChatStarted
	var created *Contact // set when this call created the contact
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		if err != nil {
			return err
		}
		now, iid, cid := cl.now, cl.instanceID, cl.id
		if cl.prior != "" {
			c, err := s.getContact(tx, iid, cl.prior)
			if err != nil {
				return err
			}
			out = &ChatStarted{ContactID: c.ID, ParticipantID: c.Chat.ParticipantID, ParticipantToken: c.Chat.ParticipantToken, ContinuedFromContactID: c.Chat.ContinuedFromContactID}
			return nil
		}
		fid, err := s.flowID(tx, iid, p.ContactFlowID)
		if err != nil {
			return err
		}
		attrs, err := s.relatedAttributes(tx, iid, p.RelatedContactID)
		if err != nil {
			return err
		}
		c := s.newContact(cid, iid, "CHAT", "API", now)
		c.ContactFlowID, c.RelatedContactID, c.CustomerID = fid, p.RelatedContactID, p.CustomerID
		c.SegmentAttributes = withSubtype(p.SegmentAttributes, "connect:Chat")
		minutes := p.ChatDurationInMinutes
		if minutes == 0 {
			minutes = DefaultChatMinutes
		}
		c.ConnectedToSystemTime = now
		c.ExpiryTime = now.Add(time.Duration(minutes) * time.Minute)
		c.Chat = &ChatDetails{
			ParticipantID: s.newID(), ParticipantToken: newToken(), DisplayName: p.DisplayName, DurationMinutes: minutes,
			SupportedContentTypes: p.SupportedMessagingContentTypes, ResponseMode: p.ResponseMode,
			DisconnectOnCustomerExit: p.DisconnectOnCustomerExit,
		}
		if p.HasInitialMessage {
			c.Chat.InitialMessageType, c.Chat.InitialMessage = p.InitialMessageType, p.InitialMessage
		}
		if p.HasPersistentChat {
			src, err := s.rehydrationSource(tx, iid, p.RehydrationType, p.SourceContactID)
			if err != nil {
				return err
			}
			c.Chat.ContinuedFromContactID, c.Chat.RehydrationType = src.ID, p.RehydrationType
			c.RelatedContactID = src.ID
			if attrs, err = s.attributesOf(tx, src); err != nil {
				return err
			}
		}
		out, created = &ChatStarted{ContactID: c.ID, ParticipantID: c.Chat.ParticipantID, ParticipantToken: c.Chat.ParticipantToken, ContinuedFromContactID: c.Chat.ContinuedFromContactID}, c
		return s.commitNew(tx, c, attrs, p.Attributes, ErrInvalidParameter, now)
	})
	if err == nil {
		s.notifyStarted(ctx, created)
	}
	return out, err
}

// rehydrationSource finds the past chat a persistent chat continues.
// FROM_SEGMENT continues exactly SourceContactId; ENTIRE_PAST_SESSION takes
// the initial contact of the past session and continues from its most
// recently ended contact.
func (s *Service) rehydrationSource(tx ReadTx, instanceID, kind, sourceID string) (*Contact, error) {
	src, err := s.getContact(tx, instanceID, sourceID)
	if err != nil {
		return nil, err
	}
	if src.Channel != "CHAT" {
		return nil, Errorf(ErrInvalidRequest, "PersistentChat.SourceContactId %s is a %s contact; only chats can be continued.", src.ID, src.Channel)
	}
	if kind == "ENTIRE_PAST_SESSION" {
		if src.InitialContactID != src.ID {
			return nil, Errorf(ErrInvalidRequest, "With ENTIRE_PAST_SESSION, SourceContactId must be the initial contact of the past chat (%s), not %s.", src.InitialContactID, src.ID)
		}
		rows, err := tx.QueryContacts(ContactQuery{InstanceID: instanceID, InitialContactID: src.ID, Channels: []string{"CHAT"}, SortField: TimeDisconnect, Descending: true})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.DisconnectTime.IsZero() {
				return nil, Errorf(ErrInvalidRequest, "The past chat %s is still active (contact %s); a chat can only be continued after it has ended.", src.ID, r.ID)
			}
		}
		if len(rows) > 0 {
			if src, err = decodeContact(rows[0]); err != nil {
				return nil, err
			}
		}
	}
	if !src.Ended() {
		return nil, Errorf(ErrInvalidRequest, "The past chat %s is still active; a chat can only be continued after it has ended.", src.ID)
	}
	return src, nil
}

// withSubtype returns attrs with connect:Subtype set to subtype unless the
// caller set one.
func withSubtype(attrs map[string]SegmentValue, subtype string) map[string]SegmentValue {
	out := make(map[string]SegmentValue, len(attrs)+1)
	for k, v := range attrs {
		out[k] = v
	}
	if _, ok := out["connect:Subtype"]; !ok {
		out["connect:Subtype"] = SegmentValue{String: &subtype}
	}
	return out
}

// newToken returns a participant token: 48 random bytes, URL-safe.
func newToken() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// StartEmailParams are the inputs of StartEmailContact.
type StartEmailParams struct {
	InstanceID        string
	From              Endpoint
	Destination       string
	Description, Name string
	References        map[string]Reference
	MessageSourceType string
	Subject, Body     string
	ContentType       string
	Headers           map[string]string
	To, Cc            []Endpoint
	Attachments       []Attachment
	ContactFlowID     string
	RelatedContactID  string
	Attributes        map[string]string
	SegmentAttributes map[string]SegmentValue
	ClientToken       string
}

// MaxEmailRecipients bounds the recipients of an email, the destination
// included.
const MaxEmailRecipients = 50

// StartEmailContact starts an inbound email contact.
func (s *Service) StartEmailContact(ctx context.Context, p StartEmailParams) (string, error) {
	const op = "StartEmailContact"
	if !emailPattern.MatchString(p.From.Address) {
		return "", Errorf(ErrInvalidRequest, "FromEmailAddress.EmailAddress %q is not an email address.", clip(p.From.Address, 255))
	}
	if p.MessageSourceType != "RAW" {
		return "", Errorf(ErrInvalidRequest, "EmailMessage.MessageSourceType must be RAW for StartEmailContact.")
	}
	if p.Body == "" && p.Subject == "" {
		return "", Errorf(ErrInvalidRequest, "EmailMessage.RawMessage needs a Subject and a Body.")
	}
	if n := 1 + len(p.To) + len(p.Cc); n > MaxEmailRecipients {
		return "", Errorf(ErrInvalidRequest, "The email has %d recipients including DestinationEmailAddress; at most %d are allowed.", n, MaxEmailRecipients)
	}
	for _, r := range append(append([]Endpoint{}, p.To...), p.Cc...) {
		if !emailPattern.MatchString(r.Address) {
			return "", Errorf(ErrInvalidRequest, "Additional recipient %q is not an email address.", clip(r.Address, 255))
		}
	}
	if err := validateReferences(p.References, refTypesEmail, op, ErrInvalidRequest); err != nil {
		return "", err
	}
	if err := validateAttributes(p.Attributes, ErrInvalidRequest); err != nil {
		return "", err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidRequest); err != nil {
		return "", err
	}
	var id string
	var created *Contact // set when this call created the contact
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		if id = cl.prior; err != nil || id != "" {
			return err
		}
		now, iid, cid := cl.now, cl.instanceID, cl.id
		dest, err := getDocByName[EmailAddress](tx, KindEmailAddress, iid, strings.ToLower(p.Destination))
		if errors.Is(err, ErrStoreNotFound) {
			return Errorf(ErrNotFound, "DestinationEmailAddress %s is not an email address of instance %s; create it with CreateEmailAddress first.", clip(p.Destination, 255), iid)
		}
		if err != nil {
			return err
		}
		sentTo := dest.Address
		if dest.AliasOf != "" {
			// An alias forwards to its primary address: the contact is the
			// primary's (AssociateEmailAddressAlias).
			if dest, err = getIn[EmailAddress](tx, KindEmailAddress, iid, dest.AliasOf); err != nil {
				return err
			}
		}
		flowID := p.ContactFlowID
		if flowID == "" {
			// The address's inbound flow (AssociateFlow INBOUND_EMAIL).
			flowID = dest.InboundFlowID
		}
		if flowID == "" {
			// An address without one uses the instance's default inbound
			// flow.
			def, err := getDocByName[ContactFlow](tx, KindContactFlow, iid, DefaultInboundFlowName)
			if err != nil {
				return mapNotFound(err, "Default inbound flow", DefaultInboundFlowName)
			}
			flowID = def.ID
		}
		fid, err := s.flowID(tx, iid, flowID)
		if err != nil {
			return err
		}
		attrs, err := s.relatedAttributes(tx, iid, p.RelatedContactID)
		if err != nil {
			return err
		}
		c := s.newContact(cid, iid, "EMAIL", "API", now)
		c.Name, c.Description, c.References, c.ContactFlowID, c.RelatedContactID = p.Name, p.Description, p.References, fid, p.RelatedContactID
		c.SegmentAttributes = p.SegmentAttributes
		c.CustomerEndpoint = &Endpoint{Type: "EMAIL_ADDRESS", Address: p.From.Address, DisplayName: p.From.DisplayName}
		c.SystemEndpoint = &Endpoint{Type: "EMAIL_ADDRESS", Address: dest.Address, DisplayName: dest.DisplayName}
		c.ConnectedToSystemTime = now
		expiry := DefaultEmailExpiry
		if v, ok := p.SegmentAttributes["connect:ContactExpiry"]; ok {
			m, _ := contactExpiryMinutes(v, ErrInvalidRequest)
			expiry = time.Duration(m) * time.Minute
		}
		c.ExpiryTime = now.Add(expiry)
		c.Email = &EmailDetails{From: *c.CustomerEndpoint, Destination: sentTo, To: p.To, Cc: p.Cc, Subject: p.Subject,
			Body: p.Body, ContentType: p.ContentType, Headers: p.Headers, Attachments: p.Attachments, MessageSourceType: p.MessageSourceType}
		id, created = c.ID, c
		return s.commitNew(tx, c, attrs, p.Attributes, ErrInvalidRequest, now)
	})
	if err == nil {
		s.notifyStarted(ctx, created)
	}
	return id, err
}

// StartOutboundChatParams are the inputs of StartOutboundChatContact.
type StartOutboundChatParams struct {
	InstanceID                     string
	Source, Destination            Endpoint
	SegmentAttributes              map[string]SegmentValue
	Attributes                     map[string]string
	ContactFlowID                  string
	ChatDurationInMinutes          int
	DisplayName                    string
	InitialMessageType             string
	InitialMessage                 string
	HasInitialMessage              bool
	HasTemplatedMessage            bool
	RelatedContactID               string
	SupportedMessagingContentTypes []string
	ClientToken                    string
}

// StartOutboundChatContact starts an outbound SMS (or WhatsApp) chat.
func (s *Service) StartOutboundChatContact(ctx context.Context, p StartOutboundChatParams) (string, error) {
	const op = "StartOutboundChatContact"
	if p.Source.Type != "CONNECT_PHONENUMBER_ARN" {
		return "", Errorf(ErrInvalidRequest, "SourceEndpoint.Type must be CONNECT_PHONENUMBER_ARN (the ARN of a phone number claimed to the instance), not %q.", p.Source.Type)
	}
	if p.Destination.Type != "TELEPHONE_NUMBER" {
		return "", Errorf(ErrInvalidRequest, "DestinationEndpoint.Type must be TELEPHONE_NUMBER, not %q.", p.Destination.Type)
	}
	if !e164Pattern.MatchString(p.Destination.Address) {
		return "", Errorf(ErrInvalidRequest, "DestinationEndpoint.Address %q is not an E.164 phone number such as +14155550100.", clip(p.Destination.Address, 64))
	}
	sub := segmentString(p.SegmentAttributes, "connect:Subtype")
	if sub != "connect:SMS" && sub != "connect:WhatsApp" {
		return "", Errorf(ErrInvalidRequest, `SegmentAttributes must set connect:Subtype to connect:SMS or connect:WhatsApp, e.g. {"connect:Subtype": {"ValueString": "connect:SMS"}}.`)
	}
	if err := validateSupportedContentTypes(p.SupportedMessagingContentTypes); err != nil {
		return "", err
	}
	if p.HasInitialMessage && p.HasTemplatedMessage {
		return "", Errorf(ErrInvalidRequest, "Pass InitialSystemMessage or InitialTemplatedSystemMessage, not both.")
	}
	if p.HasInitialMessage {
		if err := validateChatMessage("InitialSystemMessage", p.InitialMessageType, p.InitialMessage); err != nil {
			return "", err
		}
		if sub == "connect:SMS" && p.InitialMessageType != "text/plain" {
			return "", Errorf(ErrInvalidRequest, "SMS messages are text/plain only; InitialSystemMessage.ContentType is %q.", p.InitialMessageType)
		}
	}
	if err := validateAttributes(p.Attributes, ErrInvalidRequest); err != nil {
		return "", err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidRequest); err != nil {
		return "", err
	}
	var id string
	var created *Contact // set when this call created the contact
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		now, iid, cid := cl.now, cl.instanceID, cl.id
		id = cl.prior
		if CodeOf(err) == ErrIdempotency {
			// This operation models no IdempotencyException; Connect
			// answers a reused token with ConflictException here.
			err.(*Error).Code = ErrConflict
		}
		if err != nil || id != "" {
			return err
		}
		pn, err := getDoc[PhoneNumber](tx, KindPhoneNumber, "", idFromARN(p.Source.Address, "phone-number"))
		if errors.Is(err, ErrStoreNotFound) || (err == nil && pn.InstanceID != iid) {
			return Errorf(ErrNotFound, "SourceEndpoint.Address %s is not a phone number claimed to instance %s; claim one with ClaimPhoneNumber and pass its PhoneNumberArn.", clip(p.Source.Address, 256), iid)
		}
		if err != nil {
			return err
		}
		fid, err := s.flowID(tx, iid, p.ContactFlowID)
		if err != nil {
			return err
		}
		attrs, err := s.relatedAttributes(tx, iid, p.RelatedContactID)
		if err != nil {
			return err
		}
		c := s.newContact(cid, iid, "CHAT", "API", now)
		c.ContactFlowID, c.RelatedContactID, c.SegmentAttributes = fid, p.RelatedContactID, p.SegmentAttributes
		c.CustomerEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: p.Destination.Address}
		c.SystemEndpoint = &Endpoint{Type: "TELEPHONE_NUMBER", Address: pn.Number}
		minutes := p.ChatDurationInMinutes
		if minutes == 0 {
			minutes = DefaultChatMinutes
		}
		c.ConnectedToSystemTime = now
		c.ExpiryTime = now.Add(time.Duration(minutes) * time.Minute)
		c.Chat = &ChatDetails{ParticipantID: s.newID(), ParticipantToken: newToken(), DisplayName: p.DisplayName,
			DurationMinutes: minutes, SupportedContentTypes: p.SupportedMessagingContentTypes}
		if p.HasInitialMessage {
			c.Chat.InitialMessageType, c.Chat.InitialMessage = p.InitialMessageType, p.InitialMessage
		}
		id, created = c.ID, c
		return s.commitNew(tx, c, attrs, p.Attributes, ErrInvalidRequest, now)
	})
	if err == nil {
		s.notifyStarted(ctx, created)
	}
	return id, err
}
