package domain

import (
	"context"
	"errors"
	"time"
)

// CreateContactParams are the inputs of CreateContact.
type CreateContactParams struct {
	InstanceID              string
	ClientToken             string
	RelatedContactID        string
	Attributes              map[string]string
	References              map[string]Reference
	Channel                 string
	InitiationMethod        string
	ExpiryDurationInMinutes int
	HasExpiry               bool
	UserID                  string
	InitiateAs              string
	Name, Description       string
	SegmentAttributes       map[string]SegmentValue
	PreviousContactID       string
}

// createContactCombos are the channel / initiation method pairs CreateContact
// accepts, with the subtype Connect gives the contact.
var createContactCombos = map[[2]string]string{
	{"VOICE", "TRANSFER"}:    "connect:ExternalAudio",
	{"EMAIL", "OUTBOUND"}:    "",
	{"EMAIL", "AGENT_REPLY"}: "",
	{"EMAIL", "FLOW"}:        "",
	{"TASK", "API"}:          "connect:ExternalTask",
}

// CreateContact creates a contact without starting a flow (external audio,
// outbound or reply emails, external tasks).
func (s *Service) CreateContact(ctx context.Context, p CreateContactParams) (*Contact, error) {
	const op = "CreateContact"
	subtype, ok := createContactCombos[[2]string{p.Channel, p.InitiationMethod}]
	if !ok {
		return nil, Errorf(ErrInvalidRequest, "CreateContact does not support Channel %s with InitiationMethod %s; supported: VOICE+TRANSFER, EMAIL+OUTBOUND, EMAIL+AGENT_REPLY, EMAIL+FLOW, TASK+API.", p.Channel, p.InitiationMethod)
	}
	if p.PreviousContactID != "" && p.Channel != "VOICE" {
		return nil, Errorf(ErrInvalidRequest, "PreviousContactId is only supported for VOICE contacts with InitiationMethod TRANSFER.")
	}
	if p.Channel == "EMAIL" && (p.InitiationMethod == "OUTBOUND" || p.InitiationMethod == "AGENT_REPLY") && p.UserID == "" {
		return nil, Errorf(ErrInvalidRequest, "UserInfo.UserId is required for EMAIL contacts with InitiationMethod %s: the agent who sends the email.", p.InitiationMethod)
	}
	if p.InitiateAs == "COMPLETED" && p.Channel != "TASK" {
		return nil, Errorf(ErrInvalidRequest, "InitiateAs COMPLETED is only supported for TASK contacts.")
	}
	if p.InitiateAs == "CONNECTED_TO_USER" && p.UserID == "" {
		return nil, Errorf(ErrInvalidRequest, "InitiateAs CONNECTED_TO_USER needs UserInfo.UserId: the agent the contact is connected to.")
	}
	if p.HasExpiry && (p.ExpiryDurationInMinutes < 1 || p.ExpiryDurationInMinutes > MaxTaskExpiryMinutes) {
		return nil, Errorf(ErrInvalidParameter, "ExpiryDurationInMinutes is %d; it must be between 1 and %d (90 days).", p.ExpiryDurationInMinutes, MaxTaskExpiryMinutes)
	}
	if err := validateAttributes(p.Attributes, ErrInvalidParameter); err != nil {
		return nil, err
	}
	if err := validateReferences(p.References, refTypesCreateContact, op, ErrInvalidParameter); err != nil {
		return nil, err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidParameter); err != nil {
		return nil, err
	}
	var out *Contact
	tok := newClientToken(op, p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		cl, err := s.claimNew(tx, p.InstanceID, tok)
		if err != nil {
			return err
		}
		now, iid, cid := cl.now, cl.instanceID, cl.id
		if cl.prior != "" {
			out, err = s.getContact(tx, iid, cl.prior)
			return err
		}
		attrs, err := s.relatedAttributes(tx, iid, p.RelatedContactID)
		if err != nil {
			return err
		}
		userID := p.UserID
		if userID != "" {
			u, err := getIn[User](tx, KindUser, iid, userID)
			if err != nil {
				return err
			}
			userID = u.ID
		}
		c := s.newContact(cid, iid, p.Channel, p.InitiationMethod, now)
		c.RelatedContactID, c.References, c.Name, c.Description, c.UserID = p.RelatedContactID, p.References, p.Name, p.Description, userID
		c.SegmentAttributes = p.SegmentAttributes
		if subtype != "" {
			c.SegmentAttributes = withSubtype(p.SegmentAttributes, subtype)
		}
		if p.PreviousContactID != "" {
			prev, err := s.getContact(tx, iid, p.PreviousContactID)
			if err != nil {
				return err
			}
			c.PreviousContactID, c.InitialContactID, c.ContactAssociationID = prev.ID, prev.InitialContactID, prev.ContactAssociationID
			if attrs, err = s.attributesOf(tx, prev); err != nil {
				return err
			}
		}
		if p.RelatedContactID != "" && p.Channel == "EMAIL" {
			// A reply belongs to the thread of the email it answers.
			rel, err := s.getContact(tx, iid, p.RelatedContactID)
			if err != nil {
				return err
			}
			c.ContactAssociationID = rel.ContactAssociationID
		}
		expiry := time.Duration(0)
		switch p.Channel {
		case "TASK":
			expiry = DefaultTaskExpiry
		case "EMAIL":
			expiry = DefaultEmailExpiry
		}
		if p.HasExpiry {
			expiry = time.Duration(p.ExpiryDurationInMinutes) * time.Minute
		}
		if expiry > 0 {
			c.ExpiryTime = now.Add(expiry)
		}
		switch p.InitiateAs {
		case "COMPLETED":
			c.State, c.DisconnectTime, c.DisconnectReason = StateEnded, now, "OTHER"
		case "CONNECTED_TO_USER":
			c.State, c.AgentID, c.ConnectedToAgentTime, c.ConnectedToSystemTime = StateConnected, userID, now, now
		}
		out = c
		if err := joinTree(tx, c); err != nil {
			return err
		}
		return s.commitNew(tx, c, attrs, p.Attributes, ErrInvalidParameter, now)
	})
	return out, err
}

// checkChannelQuota refuses a new active contact over the channel's quota
// of concurrent active contacts (chats answer LimitExceededException as
// Connect's chat operations model it; tasks and emails
// ServiceQuotaExceededException).
func (s *Service) checkChannelQuota(tx ReadTx, instanceID, channel string) error {
	var limit int
	var what, flag string
	code := ErrQuotaExceeded
	switch channel {
	case "TASK":
		limit, what, flag = s.quotas.ActiveTasks, "active tasks", "active-tasks"
	case "EMAIL":
		limit, what, flag = s.quotas.ActiveEmails, "active email contacts", "active-emails"
	case "CHAT":
		limit, what, flag, code = s.quotas.ActiveChats, "active chats (SMS included)", "active-chats", ErrLimitExceeded
	default:
		return nil
	}
	n, err := countActive(tx, instanceID, channel)
	if err != nil {
		return err
	}
	if n >= limit {
		return Errorf(code, "The instance has %d %s, its quota of concurrent %s; end some or raise it with --quota %s=N.", n, what, what, flag)
	}
	return nil
}

// UpdateContactParams are the inputs of UpdateContact; nil means unchanged.
type UpdateContactParams struct {
	InstanceID, ContactID string
	Name, Description     *string
	References            map[string]Reference
	SegmentAttributes     map[string]SegmentValue
	QueueID               *string
	UserID                *string
	CustomerEndpoint      *Endpoint
	SystemEndpoint        *Endpoint
}

// UpdateContact changes a contact's details; it works on ended contacts too.
func (s *Service) UpdateContact(ctx context.Context, p UpdateContactParams) error {
	if p.Name == nil && p.Description == nil && p.References == nil && p.SegmentAttributes == nil &&
		p.QueueID == nil && p.UserID == nil && p.CustomerEndpoint == nil && p.SystemEndpoint == nil {
		return Errorf(ErrInvalidRequest, "UpdateContact needs at least one field to update: Name, Description, References, SegmentAttributes, QueueInfo, UserInfo, CustomerEndpoint or SystemEndpoint.")
	}
	if err := validateReferences(p.References, nil, "UpdateContact", ErrInvalidParameter); err != nil {
		return err
	}
	if err := validateSegmentAttributes(p.SegmentAttributes, ErrInvalidParameter); err != nil {
		return err
	}
	var updated *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, err := s.instanceID(tx, p.InstanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, p.ContactID)
		if err != nil {
			return err
		}
		external := segmentString(c.SegmentAttributes, "connect:Subtype") == "connect:ExternalAudio"
		if !external && (p.QueueID != nil || p.UserID != nil || p.CustomerEndpoint != nil || p.SystemEndpoint != nil) {
			return Errorf(ErrInvalidRequest, "QueueInfo, UserInfo, CustomerEndpoint and SystemEndpoint can only be updated on external audio contacts (CreateContact with VOICE and TRANSFER); contact %s is not one.", c.ID)
		}
		if p.Name != nil {
			c.Name = *p.Name
		}
		if p.Description != nil {
			c.Description = *p.Description
		}
		if p.References != nil {
			if c.References == nil {
				c.References = map[string]Reference{}
			}
			for k, v := range p.References {
				c.References[k] = v
			}
		}
		if p.SegmentAttributes != nil {
			if _, ok := p.SegmentAttributes["connect:Subtype"]; ok {
				return Errorf(ErrInvalidRequest, "connect:Subtype cannot be changed after a contact is created.")
			}
			if c.SegmentAttributes == nil {
				c.SegmentAttributes = map[string]SegmentValue{}
			}
			for k, v := range p.SegmentAttributes {
				c.SegmentAttributes[k] = v
				if k == "connect:ContactExpiry" && !c.Ended() {
					m, _ := contactExpiryMinutes(v, ErrInvalidParameter)
					// Like StartTaskContact, a scheduled task's lifetime
					// runs from when it is scheduled to start.
					base := c.InitiationTime
					if !c.ScheduledTime.IsZero() {
						base = c.ScheduledTime
					}
					c.ExpiryTime = base.Add(time.Duration(m) * time.Minute)
				}
			}
		}
		if p.QueueID != nil {
			q, err := getDoc[Queue](tx, KindQueue, iid, idFromARN(*p.QueueID, "queue"))
			if err != nil {
				return mapNotFound(err, "Queue", *p.QueueID)
			}
			c.QueueID = q.ID
		}
		if p.UserID != nil {
			u, err := getIn[User](tx, KindUser, iid, *p.UserID)
			if err != nil {
				return err
			}
			c.AgentID = u.ID
		}
		if p.CustomerEndpoint != nil {
			c.CustomerEndpoint = p.CustomerEndpoint
		}
		if p.SystemEndpoint != nil {
			c.SystemEndpoint = p.SystemEndpoint
		}
		c.LastUpdateTime = now
		updated = c
		return s.putContact(tx, c)
	})
	if err == nil {
		s.emit(updated, EventContactDataUpdated, updatedProperties(p)...)
		if _, ok := p.SegmentAttributes["connect:ContactExpiry"]; ok && !updated.Ended() {
			// The runtime's expiry timer must move with ExpiryTime.
			s.notifyChanged(ctx, updated, ChangeSchedule)
		}
	}
	return err
}

// RoutingDataParams are the inputs of UpdateContactRoutingData.
type RoutingDataParams struct {
	InstanceID, ContactID      string
	QueueTimeAdjustmentSeconds *int32
	QueuePriority              *int64
	RoutingCriteria            *RoutingCriteria
}

// UpdateContactRoutingData changes how a contact is routed. Criteria set
// before the contact reaches a queue are kept and activated when it does.
func (s *Service) UpdateContactRoutingData(ctx context.Context, p RoutingDataParams) error {
	if p.QueuePriority != nil && p.QueueTimeAdjustmentSeconds != nil {
		return Errorf(ErrInvalidParameter, "Pass QueuePriority or QueueTimeAdjustmentSeconds, not both: change one routing property per call.")
	}
	if p.QueuePriority == nil && p.QueueTimeAdjustmentSeconds == nil && p.RoutingCriteria == nil {
		return Errorf(ErrInvalidParameter, "Pass at least one of QueuePriority, QueueTimeAdjustmentSeconds and RoutingCriteria.")
	}
	if p.RoutingCriteria != nil {
		if err := validateRoutingCriteria(p.RoutingCriteria, ErrInvalidParameter); err != nil {
			return err
		}
	}
	var changed *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, err := s.instanceID(tx, p.InstanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, p.ContactID)
		if err != nil {
			return err
		}
		if c.Ended() {
			return Errorf(ErrResourceConflict, "Contact %s has ended; routing data can only change while it waits to be routed.", c.ID)
		}
		if p.QueuePriority != nil {
			c.QueuePriority = *p.QueuePriority
		}
		if p.QueueTimeAdjustmentSeconds != nil {
			c.QueueTimeAdjustmentSeconds = *p.QueueTimeAdjustmentSeconds
		}
		if p.RoutingCriteria != nil {
			rc := *p.RoutingCriteria
			rc.Index = 0
			if c.RoutingCriteria != nil {
				// Every new criteria gets the next index.
				rc.Index = c.RoutingCriteria.Index + 1
			}
			rc.ActivationTime = time.Time{}
			for i := range rc.Steps {
				rc.Steps[i].Status = "INACTIVE"
				rc.Steps[i].ExpiryTime = time.Time{}
			}
			if c.State == StateQueued {
				activateCriteria(&rc, now)
			}
			c.RoutingCriteria = &rc
		}
		c.LastUpdateTime = now
		changed = c
		return s.putContact(tx, c)
	})
	if err == nil {
		s.notifyChanged(ctx, changed, ChangeRouting)
	}
	return err
}

// activateCriteria starts criteria when the contact is in a queue: the first
// step becomes ACTIVE and its expiry is fixed.
func activateCriteria(rc *RoutingCriteria, now time.Time) {
	rc.ActivationTime = now
	if len(rc.Steps) == 0 {
		return
	}
	rc.Steps[0].Status = "ACTIVE"
	if d := rc.Steps[0].ExpirySeconds; d != nil {
		rc.Steps[0].ExpiryTime = now.Add(time.Duration(*d) * time.Second)
	}
}

// StopContact ends a contact in any state.
func (s *Service) StopContact(ctx context.Context, instanceID, contactID string, reasonCode string) error {
	if reasonCode != "" {
		return Errorf(ErrInvalidRequest, "DisconnectReason is only accepted for outbound campaign contacts; omit it.")
	}
	var changed *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		row, err := tx.GetContact(iid, contactID)
		if errors.Is(err, ErrStoreNotFound) {
			return Errorf(ErrContactNotFound, "Contact not found: %s in instance %s.", clip(contactID, 256), iid)
		}
		if err != nil {
			return err
		}
		c, err := decodeContact(row)
		if err != nil {
			return err
		}
		if c.Ended() {
			return Errorf(ErrContactNotFound, "Contact %s has already ended (at %s); there is nothing to stop.", c.ID, c.DisconnectTime.Format(time.RFC3339))
		}
		if c.Channel == "VOICE" && contains([]string{"DISCONNECT", "TRANSFER", "QUEUE_TRANSFER", "EXTERNAL_OUTBOUND", "MONITOR"}, c.InitiationMethod) {
			return Errorf(ErrInvalidRequest, "StopContact does not support voice contacts with InitiationMethod %s.", c.InitiationMethod)
		}
		s.endContact(c, now, stopReason(c.Channel))
		changed = c
		return s.putContact(tx, c)
	})
	if err == nil {
		s.notifyChanged(ctx, changed, ChangeStopped)
	}
	return err
}

// stopReason is the DisconnectReason a contact ended by StopContact gets.
func stopReason(channel string) string {
	switch channel {
	case "TASK", "EMAIL":
		return "API"
	case "VOICE":
		return "OTHER"
	}
	// Chats ended by the API carry no reason in Connect.
	return ""
}

// endContact marks a contact ended at now.
func (s *Service) endContact(c *Contact, now time.Time, reason string) {
	c.FlowWait = nil // an ended contact's flow waits for nothing
	if c.State == StateConnected || c.State == StatePaused && c.PausedFrom == StateConnected {
		// The agent who had it goes into after-contact work. (An agent
		// may end a task they paused.)
		c.AfterContactWorkStart = now
	}
	if c.State == StatePaused {
		c.endPause(now)
	}
	c.State, c.DisconnectTime, c.LastUpdateTime = StateEnded, now, now
	if c.DisconnectReason == "" {
		c.DisconnectReason = reason
	}
}

// UpdateContactAttributes merges attributes into a contact chain; an empty
// value removes the attribute. It works on ended contacts too.
func (s *Service) UpdateContactAttributes(ctx context.Context, instanceID, initialContactID string, attrs map[string]string) error {
	for k := range attrs {
		if !attributeKeyPattern.MatchString(k) {
			return validateAttributes(map[string]string{k: ""}, ErrInvalidParameter)
		}
	}
	var updated *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, initialContactID)
		if err != nil {
			return err
		}
		cur, err := s.attributesOf(tx, c)
		if err != nil {
			return err
		}
		for k, v := range attrs {
			if v == "" {
				delete(cur, k)
				continue
			}
			cur[k] = v
		}
		if err := validateAttributes(cur, ErrInvalidParameter); err != nil {
			return err
		}
		if err := s.putAttributes(tx, iid, c.InitialContactID, cur, now); err != nil {
			return err
		}
		c.LastUpdateTime = now
		updated = c
		return s.putContact(tx, c)
	})
	if err == nil {
		s.emit(updated, EventContactDataUpdated, "UserDefinedAttributes")
	}
	return err
}

// GetContactAttributes returns the attributes of a contact chain.
func (s *Service) GetContactAttributes(ctx context.Context, instanceID, initialContactID string) (map[string]string, error) {
	var out map[string]string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		c, err := s.getContact(tx, iid, initialContactID)
		if err != nil {
			return err
		}
		out, err = s.attributesOf(tx, c)
		return err
	})
	return out, err
}

// UpdateContactSchedule moves a scheduled task to a new time.
func (s *Service) UpdateContactSchedule(ctx context.Context, instanceID, contactID string, at time.Time) error {
	var changed *Contact
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		_, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if c.Channel != "TASK" || c.State != StateScheduled {
			return Errorf(ErrInvalidRequest, "Contact %s is not a scheduled task that has yet to start; only those can be rescheduled.", c.ID)
		}
		if err := s.checkSchedule(at, now, "ScheduledTime"); err != nil {
			return err
		}
		if c.Reschedules >= s.quotas.Reschedules {
			return Errorf(ErrLimitExceeded, "Task %s has been rescheduled %d times, the most allowed.", c.ID, c.Reschedules)
		}
		life := c.ExpiryTime.Sub(c.ScheduledTime)
		c.ScheduledTime = at.UTC()
		c.ExpiryTime = c.ScheduledTime.Add(life)
		c.Reschedules++
		c.LastUpdateTime = now
		changed = c
		return s.putContact(tx, c)
	})
	if err == nil {
		s.notifyChanged(ctx, changed, ChangeSchedule)
	}
	return err
}

// ListContactReferences returns a contact's references of the given types,
// ordered by name.
func (s *Service) ListContactReferences(ctx context.Context, instanceID, contactID string, types []string, page Page) ([]NamedReference, string, error) {
	var out []NamedReference
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		_, c, err := s.contactIn(tx, instanceID, contactID)
		if err != nil {
			return err
		}
		after, err := decodeToken(page.NextToken)
		if err != nil {
			return err
		}
		limit := page.limit()
		for _, k := range sortedKeys(c.References) {
			r := c.References[k]
			if k <= after || !contains(types, r.Type) {
				continue
			}
			if len(out) == limit {
				next = encodeToken(out[len(out)-1].Name)
				break
			}
			out = append(out, NamedReference{Name: k, Reference: r})
		}
		return nil
	})
	return out, next, err
}

// NamedReference is a reference with its key.
type NamedReference struct {
	Name string
	Reference
}

// updatedProperties names what an UpdateContact call changed, for its
// CONTACT_DATA_UPDATED event.
func updatedProperties(p UpdateContactParams) []string {
	var out []string
	if p.Name != nil {
		out = append(out, "Name")
	}
	if p.Description != nil {
		out = append(out, "Description")
	}
	if p.References != nil {
		out = append(out, "References")
	}
	if p.SegmentAttributes != nil {
		out = append(out, "SegmentAttributes")
	}
	if p.QueueID != nil {
		out = append(out, "QueueInfo")
	}
	if p.UserID != nil {
		out = append(out, "AgentInfo")
	}
	if p.CustomerEndpoint != nil {
		out = append(out, "CustomerEndpoint")
	}
	if p.SystemEndpoint != nil {
		out = append(out, "SystemEndpoint")
	}
	return out
}
