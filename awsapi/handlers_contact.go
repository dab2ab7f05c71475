package awsapi

import (
	"context"
	"time"

	cw "github.com/switchboard-cc/switchboard/awsapi/connectwire"
	"github.com/switchboard-cc/switchboard/domain"
)

// StartTaskContact handles the operation of the same name.
func (h *Handlers) StartTaskContact(ctx context.Context, in *cw.StartTaskContactRequest) (*cw.StartTaskContactResponse, error) {
	p := domain.StartTaskParams{
		InstanceID: deref(in.InstanceId), PreviousContactID: deref(in.PreviousContactId), ContactFlowID: deref(in.ContactFlowId),
		Attributes: in.Attributes, Name: deref(in.Name), References: refsIn(in.References), Description: deref(in.Description),
		ClientToken: deref(in.ClientToken), ScheduledTime: dtime(in.ScheduledTime), TaskTemplateID: deref(in.TaskTemplateId),
		QuickConnectID: deref(in.QuickConnectId), RelatedContactID: deref(in.RelatedContactId), SegmentAttributes: segIn(in.SegmentAttributes),
	}
	for _, a := range in.Attachments {
		p.Attachments = append(p.Attachments, domain.Attachment{FileName: deref(a.FileName), URL: deref(a.S3Url)})
	}
	id, err := h.svc.StartTaskContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.StartTaskContactResponse{ContactId: ref(id)}, nil
}

// StartChatContact handles the operation of the same name.
func (h *Handlers) StartChatContact(ctx context.Context, in *cw.StartChatContactRequest) (*cw.StartChatContactResponse, error) {
	p := domain.StartChatParams{
		InstanceID: deref(in.InstanceId), ContactFlowID: deref(in.ContactFlowId), Attributes: in.Attributes,
		ClientToken: deref(in.ClientToken), ChatDurationInMinutes: int(deref(in.ChatDurationInMinutes)),
		SupportedMessagingContentTypes: in.SupportedMessagingContentTypes, RelatedContactID: deref(in.RelatedContactId),
		SegmentAttributes: segIn(in.SegmentAttributes), CustomerID: deref(in.CustomerId),
	}
	if in.ParticipantDetails != nil {
		p.DisplayName = deref(in.ParticipantDetails.DisplayName)
	}
	if in.ParticipantConfiguration != nil {
		p.ResponseMode = string(in.ParticipantConfiguration.ResponseMode)
	}
	if in.InitialMessage != nil {
		p.HasInitialMessage, p.InitialMessageType, p.InitialMessage = true, deref(in.InitialMessage.ContentType), deref(in.InitialMessage.Content)
	}
	if in.PersistentChat != nil {
		p.HasPersistentChat, p.RehydrationType, p.SourceContactID = true, string(in.PersistentChat.RehydrationType), deref(in.PersistentChat.SourceContactId)
	}
	for _, t := range in.DisconnectOnCustomerExit {
		p.DisconnectOnCustomerExit = append(p.DisconnectOnCustomerExit, string(t))
	}
	out, err := h.svc.StartChatContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.StartChatContactResponse{ContactId: ref(out.ContactID), ParticipantId: ref(out.ParticipantID),
		ParticipantToken: ref(out.ParticipantToken), ContinuedFromContactId: ptr(out.ContinuedFromContactID)}, nil
}

// StartEmailContact handles the operation of the same name.
func (h *Handlers) StartEmailContact(ctx context.Context, in *cw.StartEmailContactRequest) (*cw.StartEmailContactResponse, error) {
	p := domain.StartEmailParams{
		InstanceID: deref(in.InstanceId), Destination: deref(in.DestinationEmailAddress), Description: deref(in.Description),
		Name: deref(in.Name), References: refsIn(in.References), ContactFlowID: deref(in.ContactFlowId),
		RelatedContactID: deref(in.RelatedContactId), Attributes: in.Attributes, SegmentAttributes: segIn(in.SegmentAttributes),
		ClientToken: deref(in.ClientToken),
	}
	if in.FromEmailAddress != nil {
		p.From = domain.Endpoint{Type: "EMAIL_ADDRESS", Address: deref(in.FromEmailAddress.EmailAddress), DisplayName: deref(in.FromEmailAddress.DisplayName)}
	}
	if m := in.EmailMessage; m != nil {
		p.MessageSourceType = string(m.MessageSourceType)
		if raw := m.RawMessage; raw != nil {
			p.Subject, p.Body, p.ContentType, p.Headers = deref(raw.Subject), deref(raw.Body), deref(raw.ContentType), raw.Headers
		}
	}
	if r := in.AdditionalRecipients; r != nil {
		p.To, p.Cc = emailInfosIn(r.ToAddresses), emailInfosIn(r.CcAddresses)
	}
	for _, a := range in.Attachments {
		p.Attachments = append(p.Attachments, domain.Attachment{FileName: deref(a.FileName), URL: deref(a.S3Url)})
	}
	id, err := h.svc.StartEmailContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.StartEmailContactResponse{ContactId: ref(id)}, nil
}

// StartOutboundChatContact handles the operation of the same name.
func (h *Handlers) StartOutboundChatContact(ctx context.Context, in *cw.StartOutboundChatContactRequest) (*cw.StartOutboundChatContactResponse, error) {
	p := domain.StartOutboundChatParams{
		InstanceID: deref(in.InstanceId), SegmentAttributes: segIn(in.SegmentAttributes), Attributes: in.Attributes,
		ContactFlowID: deref(in.ContactFlowId), ChatDurationInMinutes: int(deref(in.ChatDurationInMinutes)),
		RelatedContactID: deref(in.RelatedContactId), SupportedMessagingContentTypes: in.SupportedMessagingContentTypes,
		ClientToken: deref(in.ClientToken), HasTemplatedMessage: in.InitialTemplatedSystemMessage != nil,
	}
	if e := endpointIn(in.SourceEndpoint); e != nil {
		p.Source = *e
	}
	if e := endpointIn(in.DestinationEndpoint); e != nil {
		p.Destination = *e
	}
	if in.ParticipantDetails != nil {
		p.DisplayName = deref(in.ParticipantDetails.DisplayName)
	}
	if m := in.InitialSystemMessage; m != nil {
		p.HasInitialMessage, p.InitialMessageType, p.InitialMessage = true, deref(m.ContentType), deref(m.Content)
	}
	id, err := h.svc.StartOutboundChatContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.StartOutboundChatContactResponse{ContactId: ref(id)}, nil
}

// CreateContact handles the operation of the same name.
func (h *Handlers) CreateContact(ctx context.Context, in *cw.CreateContactRequest) (*cw.CreateContactResponse, error) {
	p := domain.CreateContactParams{
		InstanceID: deref(in.InstanceId), ClientToken: deref(in.ClientToken), RelatedContactID: deref(in.RelatedContactId),
		Attributes: in.Attributes, References: refsIn(in.References), Channel: string(in.Channel),
		InitiationMethod: string(in.InitiationMethod), ExpiryDurationInMinutes: int(deref(in.ExpiryDurationInMinutes)),
		HasExpiry: in.ExpiryDurationInMinutes != nil, InitiateAs: string(in.InitiateAs), Name: deref(in.Name),
		Description: deref(in.Description), SegmentAttributes: segIn(in.SegmentAttributes), PreviousContactID: deref(in.PreviousContactId),
	}
	if in.UserInfo != nil {
		p.UserID = deref(in.UserInfo.UserId)
	}
	c, err := h.svc.CreateContact(ctx, p)
	if err != nil {
		return nil, err
	}
	return &cw.CreateContactResponse{ContactId: ref(c.ID), ContactArn: ref(c.Arn)}, nil
}

// DescribeContact handles the operation of the same name.
func (h *Handlers) DescribeContact(ctx context.Context, in *cw.DescribeContactRequest) (*cw.DescribeContactResponse, error) {
	v, err := h.svc.DescribeContact(ctx, deref(in.InstanceId), deref(in.ContactId))
	if err != nil {
		return nil, err
	}
	c := &v.Contact
	out := &cw.Contact{
		Arn: ref(c.Arn), Id: ref(c.ID), InitialContactId: ref(c.InitialContactID), PreviousContactId: ptr(c.PreviousContactID),
		ContactAssociationId: ptr(c.ContactAssociationID), RelatedContactId: ptr(c.RelatedContactID),
		InitiationMethod: cw.ContactInitiationMethod(c.InitiationMethod), Name: ptr(c.Name), Description: ptr(c.Description),
		Channel: cw.Channel(c.Channel), InitiationTimestamp: wtime(c.InitiationTime), DisconnectTimestamp: wtime(c.DisconnectTime),
		LastUpdateTimestamp: wtime(c.LastUpdateTime), ScheduledTimestamp: wtime(c.ScheduledTime),
		ConnectedToSystemTimestamp: wtime(c.ConnectedToSystemTime), CustomerId: ptr(c.CustomerID),
		CustomerEndpoint: endpointOut(c.CustomerEndpoint), SystemEndpoint: endpointOut(c.SystemEndpoint),
		QueueTimeAdjustmentSeconds: ref(c.QueueTimeAdjustmentSeconds), QueuePriority: ref(c.QueuePriority),
		Tags: c.AllTags(), RoutingCriteria: criteriaOut(c.RoutingCriteria), SegmentAttributes: segOut(c.SegmentAttributes),
		DisconnectReason: ptr(c.DisconnectReason), Attributes: v.Attributes,
		LastPausedTimestamp: wtime(c.LastPausedTime), LastResumedTimestamp: wtime(c.LastResumedTime),
	}
	if c.Channel == "TASK" {
		out.TotalPauseCount = ref(int32(c.PauseCount))
		out.TotalPauseDurationInSeconds = ref(int32(c.PausedSeconds))
	}
	if c.QueueID != "" {
		out.QueueInfo = &cw.QueueInfo{Id: ref(c.QueueID), EnqueueTimestamp: wtime(c.EnqueueTime)}
	}
	// A contact waiting in an agent's queue names the agent but is not
	// with them yet: AgentInfo appears once an agent has it.
	if c.AgentID != "" && (c.State != domain.StateQueued || !c.ConnectedToAgentTime.IsZero()) {
		ai := &cw.AgentInfo{Id: ref(c.AgentID), ConnectedToAgentTimestamp: wtime(c.ConnectedToAgentTime),
			AfterContactWorkStartTimestamp: wtime(c.AfterContactWorkStart), AfterContactWorkEndTimestamp: wtime(c.AfterContactWorkEnd)}
		if !c.AfterContactWorkStart.IsZero() && !c.AfterContactWorkEnd.IsZero() {
			ai.AfterContactWorkDuration = ref(int32(c.AfterContactWorkEnd.Sub(c.AfterContactWorkStart) / time.Second))
		}
		if c.AgentPausedSeconds > 0 {
			ai.AgentPauseDurationInSeconds = ref(int32(c.AgentPausedSeconds))
		}
		out.AgentInfo = ai
	}
	if c.TaskTemplateID != "" {
		out.TaskTemplateInfo = &cw.TaskTemplateInfoV2{Arn: ref(h.svc.TaskTemplateARN(c.InstanceID, c.TaskTemplateID)), Name: ptr(c.TaskTemplateName)}
	}
	if c.Name != "" || c.Description != "" {
		out.ContactDetails = &cw.ContactDetails{Name: ptr(c.Name), Description: ptr(c.Description)}
	}
	if e := c.Email; e != nil && (len(e.To) > 0 || len(e.Cc) > 0) {
		out.AdditionalEmailRecipients = &cw.AdditionalEmailRecipients{ToList: recipientsOut(e.To), CcList: recipientsOut(e.Cc)}
	}
	evaluations, err := h.svc.ContactEvaluationsOf(ctx, c.InstanceID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range evaluations {
		if out.ContactEvaluations == nil {
			out.ContactEvaluations = map[string]cw.ContactEvaluation{}
		}
		// By form, as Connect keys them: a later evaluation with the same
		// form shows in place of an earlier one.
		ce := cw.ContactEvaluation{FormId: ref(e.FormID), EvaluationArn: ref(e.Arn), Status: cw.StatusInProgress, StartTimestamp: wtime(e.CreatedTime)}
		if e.Status == domain.EvaluationSubmitted {
			ce.Status, ce.EndTimestamp = cw.StatusComplete, wtime(e.LastModifiedTime)
		}
		out.ContactEvaluations[e.FormID] = ce
	}
	return &cw.DescribeContactResponse{Contact: out}, nil
}

// CreatePersistentContactAssociation handles the operation of the same
// name.
func (h *Handlers) CreatePersistentContactAssociation(ctx context.Context, in *cw.CreatePersistentContactAssociationRequest) (*cw.CreatePersistentContactAssociationResponse, error) {
	from, err := h.svc.CreatePersistentContactAssociation(ctx, deref(in.InstanceId), deref(in.InitialContactId), string(in.RehydrationType), deref(in.SourceContactId))
	if err != nil {
		return nil, err
	}
	return &cw.CreatePersistentContactAssociationResponse{ContinuedFromContactId: ref(from)}, nil
}

// ListAssociatedContacts handles the operation of the same name.
func (h *Handlers) ListAssociatedContacts(ctx context.Context, in *cw.ListAssociatedContactsRequest) (*cw.ListAssociatedContactsResponse, error) {
	list, next, err := h.svc.ListAssociatedContacts(ctx, deref(in.InstanceId), deref(in.ContactId), listPage(in.NextToken, in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &cw.ListAssociatedContactsResponse{ContactSummaryList: make([]cw.AssociatedContactSummary, len(list)), NextToken: ptr(next)}
	for i, c := range list {
		out.ContactSummaryList[i] = cw.AssociatedContactSummary{ContactId: ref(c.ID), ContactArn: ref(c.Arn), InitiationTimestamp: wtime(c.InitiationTime),
			DisconnectTimestamp: wtime(c.DisconnectTime), InitialContactId: ref(c.InitialContactID), PreviousContactId: ptr(c.PreviousContactID),
			RelatedContactId: ptr(c.RelatedContactID), InitiationMethod: cw.ContactInitiationMethod(c.InitiationMethod), Channel: cw.Channel(c.Channel)}
	}
	return out, nil
}

// UpdateContact handles the operation of the same name.
func (h *Handlers) UpdateContact(ctx context.Context, in *cw.UpdateContactRequest) (*cw.UpdateContactResponse, error) {
	p := domain.UpdateContactParams{
		InstanceID: deref(in.InstanceId), ContactID: deref(in.ContactId), Name: in.Name, Description: in.Description,
		References: refsIn(in.References), SegmentAttributes: segIn(in.SegmentAttributes),
		CustomerEndpoint: endpointIn(in.CustomerEndpoint), SystemEndpoint: endpointIn(in.SystemEndpoint),
	}
	if in.QueueInfo != nil {
		p.QueueID = ref(deref(in.QueueInfo.Id))
	}
	if in.UserInfo != nil {
		p.UserID = ref(deref(in.UserInfo.UserId))
	}
	if err := h.svc.UpdateContact(ctx, p); err != nil {
		return nil, err
	}
	return &cw.UpdateContactResponse{}, nil
}

// UpdateContactRoutingData handles the operation of the same name.
func (h *Handlers) UpdateContactRoutingData(ctx context.Context, in *cw.UpdateContactRoutingDataRequest) (*cw.UpdateContactRoutingDataResponse, error) {
	err := h.svc.UpdateContactRoutingData(ctx, domain.RoutingDataParams{
		InstanceID: deref(in.InstanceId), ContactID: deref(in.ContactId), QueueTimeAdjustmentSeconds: in.QueueTimeAdjustmentSeconds,
		QueuePriority: in.QueuePriority, RoutingCriteria: criteriaIn(in.RoutingCriteria),
	})
	if err != nil {
		return nil, err
	}
	return &cw.UpdateContactRoutingDataResponse{}, nil
}

// StopContact handles the operation of the same name.
func (h *Handlers) StopContact(ctx context.Context, in *cw.StopContactRequest) (*cw.StopContactResponse, error) {
	code := ""
	if in.DisconnectReason != nil {
		code = deref(in.DisconnectReason.Code)
	}
	if err := h.svc.StopContact(ctx, deref(in.InstanceId), deref(in.ContactId), code); err != nil {
		return nil, err
	}
	return &cw.StopContactResponse{}, nil
}

// UpdateContactAttributes handles the operation of the same name.
func (h *Handlers) UpdateContactAttributes(ctx context.Context, in *cw.UpdateContactAttributesRequest) (*cw.UpdateContactAttributesResponse, error) {
	if err := h.svc.UpdateContactAttributes(ctx, deref(in.InstanceId), deref(in.InitialContactId), in.Attributes); err != nil {
		return nil, err
	}
	return &cw.UpdateContactAttributesResponse{}, nil
}

// GetContactAttributes handles the operation of the same name.
func (h *Handlers) GetContactAttributes(ctx context.Context, in *cw.GetContactAttributesRequest) (*cw.GetContactAttributesResponse, error) {
	attrs, err := h.svc.GetContactAttributes(ctx, deref(in.InstanceId), deref(in.InitialContactId))
	if err != nil {
		return nil, err
	}
	return &cw.GetContactAttributesResponse{Attributes: attrs}, nil
}

// UpdateContactSchedule handles the operation of the same name.
func (h *Handlers) UpdateContactSchedule(ctx context.Context, in *cw.UpdateContactScheduleRequest) (*cw.UpdateContactScheduleResponse, error) {
	if err := h.svc.UpdateContactSchedule(ctx, deref(in.InstanceId), deref(in.ContactId), dtime(in.ScheduledTime)); err != nil {
		return nil, err
	}
	return &cw.UpdateContactScheduleResponse{}, nil
}

// PauseContact handles the operation of the same name.
func (h *Handlers) PauseContact(ctx context.Context, in *cw.PauseContactRequest) (*cw.PauseContactResponse, error) {
	if err := h.svc.PauseContact(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.ContactFlowId)); err != nil {
		return nil, err
	}
	return &cw.PauseContactResponse{}, nil
}

// ResumeContact handles the operation of the same name.
func (h *Handlers) ResumeContact(ctx context.Context, in *cw.ResumeContactRequest) (*cw.ResumeContactResponse, error) {
	if err := h.svc.ResumeContact(ctx, deref(in.InstanceId), deref(in.ContactId), deref(in.ContactFlowId)); err != nil {
		return nil, err
	}
	return &cw.ResumeContactResponse{}, nil
}

// ListContactReferences handles the operation of the same name.
func (h *Handlers) ListContactReferences(ctx context.Context, in *cw.ListContactReferencesRequest) (*cw.ListContactReferencesResponse, error) {
	types := make([]string, len(in.ReferenceTypes))
	for i, t := range in.ReferenceTypes {
		types[i] = string(t)
	}
	refs, next, err := h.svc.ListContactReferences(ctx, deref(in.InstanceId), deref(in.ContactId), types, domain.Page{NextToken: deref(in.NextToken)})
	if err != nil {
		return nil, err
	}
	out := &cw.ListContactReferencesResponse{NextToken: ptr(next), ReferenceSummaryList: []cw.ReferenceSummary{}}
	for _, r := range refs {
		var s cw.ReferenceSummary
		name, val := ref(r.Name), ref(r.Value)
		switch r.Type {
		case "URL":
			s.Url = &cw.UrlReference{Name: name, Value: val}
		case "ATTACHMENT":
			s.Attachment = &cw.AttachmentReference{Name: name, Value: val, Status: cw.ReferenceStatus(r.Status), Arn: ptr(r.Arn)}
		case "STRING":
			s.String = &cw.StringReference{Name: name, Value: val}
		case "NUMBER":
			s.Number = &cw.NumberReference{Name: name, Value: val}
		case "DATE":
			s.Date = &cw.DateReference{Name: name, Value: val}
		case "EMAIL":
			s.Email = &cw.EmailReference{Name: name, Value: val}
		case "EMAIL_MESSAGE":
			s.EmailMessage = &cw.EmailMessageReference{Name: name, Arn: ptr(r.Arn)}
		case "EMAIL_MESSAGE_REDACTED":
			s.EmailMessageRedacted = &cw.EmailMessageReference{Name: name, Arn: ptr(r.Arn)}
		case "EMAIL_MESSAGE_PLAIN_TEXT":
			s.EmailMessagePlainText = &cw.EmailMessageReference{Name: name, Arn: ptr(r.Arn)}
		case "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED":
			s.EmailMessagePlainTextRedacted = &cw.EmailMessageReference{Name: name, Arn: ptr(r.Arn)}
		default:
			// CONTACT_ANALYSIS has no summary member in the model.
			continue
		}
		out.ReferenceSummaryList = append(out.ReferenceSummaryList, s)
	}
	return out, nil
}

// SearchContacts handles the operation of the same name.
func (h *Handlers) SearchContacts(ctx context.Context, in *cw.SearchContactsRequest) (*cw.SearchContactsResponse, error) {
	p := domain.SearchContactsParams{InstanceID: deref(in.InstanceId), Page: domain.Page{NextToken: deref(in.NextToken), MaxResults: int(deref(in.MaxResults))}}
	if tr := in.TimeRange; tr != nil {
		p.TimeField, p.From, p.To = searchTimeField(string(tr.Type)), dtime(tr.StartTime), dtime(tr.EndTime)
	}
	p.SortBy, p.Descending = string(domain.TimeInitiation), true
	if in.Sort != nil {
		p.SortBy, p.Descending = sortField(string(in.Sort.FieldName)), in.Sort.Order == "DESCENDING"
	}
	if sc := in.SearchCriteria; sc != nil {
		for _, c := range sc.Channels {
			p.Channels = append(p.Channels, string(c))
		}
		for _, m := range sc.InitiationMethods {
			p.InitiationMethods = append(p.InitiationMethods, string(m))
		}
		p.QueueIDs, p.AgentIDs = sc.QueueIds, sc.AgentIds
		if sc.Name != nil {
			p.NameTexts, p.NameMatch = sc.Name.SearchText, string(sc.Name.MatchType)
		}
		if a := sc.SearchableContactAttributes; a != nil {
			p.AttributesMatch = string(a.MatchType)
			for _, c := range a.Criteria {
				p.Attributes = append(p.Attributes, domain.SearchCriterion{Key: deref(c.Key), Values: c.Values})
			}
		}
		if a := sc.SearchableSegmentAttributes; a != nil {
			p.SegmentsMatch = string(a.MatchType)
			for _, c := range a.Criteria {
				p.Segments = append(p.Segments, domain.SearchCriterion{Key: deref(c.Key), Values: c.Values})
			}
		}
		if sc.ContactAnalysis != nil || sc.AiAgents != nil {
			return nil, domain.Errorf(domain.ErrInvalidRequest, "ContactAnalysis and AiAgents search Contact Lens transcripts and Amazon Q in Connect agents, which this server does not have; leave them out.")
		}
		p.Tags, p.ActiveRegions = tagFilterIn(sc.ContactTags), sc.ActiveRegions
		if g := sc.AgentHierarchyGroups; g != nil {
			p.HierarchyGroups = [5][]string{g.L1Ids, g.L2Ids, g.L3Ids, g.L4Ids, g.L5Ids}
		}
		if rc := sc.RoutingCriteria; rc != nil {
			for _, st := range rc.Steps {
				if st.AgentCriteria != nil {
					p.RoutingAgents = append(p.RoutingAgents, domain.AgentsCriterion{AgentIDs: st.AgentCriteria.AgentIds, Match: string(st.AgentCriteria.MatchType)})
				}
			}
		}
		if at := sc.AdditionalTimeRange; at != nil {
			p.MoreTimesMatch = string(at.MatchType)
			for _, c := range at.Criteria {
				switch {
				case c.TimeRange != nil:
					p.MoreTimes = append(p.MoreTimes, domain.TimeCriterion{Field: searchTimeField(string(c.TimeRange.Type)),
						From: dtime(c.TimeRange.StartTime), To: dtime(c.TimeRange.EndTime)})
				case c.TimestampCondition != nil:
					p.MoreTimes = append(p.MoreTimes, domain.TimeCriterion{Field: searchTimeField(string(c.TimestampCondition.Type)), NotExists: true})
				default:
					return nil, domain.Errorf(domain.ErrInvalidParameter, "Each AdditionalTimeRange criterion needs a TimeRange or a TimestampCondition.")
				}
			}
		}
	}
	res, err := h.svc.SearchContacts(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &cw.SearchContactsResponse{Contacts: []cw.ContactSearchSummary{}, NextToken: ptr(res.NextToken), TotalCount: ref(int64(res.Total))}
	for _, c := range res.Contacts {
		s := cw.ContactSearchSummary{
			Arn: ref(c.Arn), Id: ref(c.ID), InitialContactId: ref(c.InitialContactID), PreviousContactId: ptr(c.PreviousContactID),
			InitiationMethod: cw.ContactInitiationMethod(c.InitiationMethod), Channel: cw.Channel(c.Channel),
			InitiationTimestamp: wtime(c.InitiationTime), DisconnectTimestamp: wtime(c.DisconnectTime),
			ScheduledTimestamp: wtime(c.ScheduledTime), SegmentAttributes: searchSegOut(c.SegmentAttributes),
			Name: ptr(c.Name), RoutingCriteria: criteriaOut(c.RoutingCriteria), Tags: c.AllTags(),
		}
		if c.QueueID != "" {
			s.QueueInfo = &cw.ContactSearchSummaryQueueInfo{Id: ref(c.QueueID), EnqueueTimestamp: wtime(c.EnqueueTime)}
		}
		if c.AgentID != "" {
			s.AgentInfo = &cw.ContactSearchSummaryAgentInfo{Id: ref(c.AgentID), ConnectedToAgentTimestamp: wtime(c.ConnectedToAgentTime)}
		}
		out.Contacts = append(out.Contacts, s)
	}
	return out, nil
}

// searchTimeField maps SearchContactsTimeRangeType to a store time column.
func searchTimeField(t string) domain.ContactTimeField {
	switch t {
	case "SCHEDULED_TIMESTAMP":
		return domain.TimeScheduled
	case "CONNECTED_TO_AGENT_TIMESTAMP":
		return domain.TimeConnectedToAgent
	case "DISCONNECT_TIMESTAMP":
		return domain.TimeDisconnect
	case "ENQUEUE_TIMESTAMP":
		return domain.TimeEnqueue
	}
	return domain.TimeInitiation
}

// sortField maps SortableFieldName to the domain's sort key.
func sortField(f string) string {
	switch f {
	case "INITIATION_METHOD", "CHANNEL":
		return f
	case "EXPIRY_TIMESTAMP":
		return string(domain.TimeExpiry)
	}
	return string(searchTimeField(f))
}
