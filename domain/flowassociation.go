package domain

import (
	"context"
	"slices"
	"strings"
)

// Flow associations (AssociateFlow and friends) name the flow that runs for
// a resource: SMS_PHONE_NUMBER, the flow a text to a claimed number starts
// (PhoneNumber.SMSFlowID); INBOUND_EMAIL and OUTBOUND_EMAIL, the flows of
// an email address (EmailAddress.InboundFlowID, OutboundFlowID). They are
// kept on the resource itself, so that releasing a number or deleting an
// address takes its associations along. VOICE_PHONE_NUMBER, which only the
// listing operations take, is the number's inbound flow
// (AssociatePhoneNumberContactFlow). WhatsApp numbers and analytics
// connectors do not exist here.

// FlowAssociation is one resource's flow.
type FlowAssociation struct {
	ResourceArn, FlowArn, ResourceType string
}

// flowSlot is where a resource type keeps its flow.
type flowSlot struct {
	kind Kind
	// field returns the flow ID field of the resource's document.
	phone func(*PhoneNumber) *string
	email func(*EmailAddress) *string
	// flowTypes are the flow types the resource takes.
	flowTypes []string
}

var flowSlots = map[string]flowSlot{
	"SMS_PHONE_NUMBER":   {kind: KindPhoneNumber, phone: func(p *PhoneNumber) *string { return &p.SMSFlowID }, flowTypes: []string{"CONTACT_FLOW"}},
	"VOICE_PHONE_NUMBER": {kind: KindPhoneNumber, phone: func(p *PhoneNumber) *string { return &p.ContactFlowID }},
	"INBOUND_EMAIL":      {kind: KindEmailAddress, email: func(e *EmailAddress) *string { return &e.InboundFlowID }, flowTypes: []string{"CONTACT_FLOW"}},
	"OUTBOUND_EMAIL":     {kind: KindEmailAddress, email: func(e *EmailAddress) *string { return &e.OutboundFlowID }},
}

// flowSlotFor checks a resource type; settable is false for the types only
// the listing operations take.
func flowSlotFor(resourceType string, settable bool) (flowSlot, error) {
	slot, ok := flowSlots[resourceType]
	if !ok || settable && resourceType == "VOICE_PHONE_NUMBER" {
		return flowSlot{}, Errorf(ErrInvalidRequest, "ResourceType %s is not supported by this server; it associates flows with SMS_PHONE_NUMBER, INBOUND_EMAIL and OUTBOUND_EMAIL resources.", resourceType)
	}
	return slot, nil
}

// withFlowSlot loads the resource an association names, in the instance,
// and hands f its flow field; put stores the resource again.
func (s *Service) withFlowSlot(tx ReadTx, iid, resourceType, ref string, f func(field *string, put func(Tx) error) error) error {
	slot, err := flowSlotFor(resourceType, true)
	if err != nil {
		return err
	}
	if slot.kind == KindPhoneNumber {
		rec, pn, err := phoneNumberOf(tx, ref, iid)
		if err != nil {
			return err
		}
		return f(slot.phone(pn), func(w Tx) error {
			return putDoc(w, KindPhoneNumber, "", pn.ID, pn.Number, rec.CreatedAt, s.now(), pn)
		})
	}
	ea, err := getIn[EmailAddress](tx, KindEmailAddress, iid, idFromARN(ref, kindInfo[KindEmailAddress].arnType))
	if err != nil {
		return err
	}
	return f(slot.email(ea), func(w Tx) error {
		return save(w, KindEmailAddress, iid, ea, ea.CreatedTime, s.now())
	})
}

// AssociateFlow sets the flow of a resource, replacing the one it had.
func (s *Service) AssociateFlow(ctx context.Context, instanceID, resourceRef, flowRef, resourceType string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		fl, err := getIn[ContactFlow](tx, KindContactFlow, iid, idFromARN(flowRef, "contact-flow"))
		if err != nil {
			return err
		}
		slot, _ := flowSlotFor(resourceType, true)
		if len(slot.flowTypes) > 0 && !slices.Contains(slot.flowTypes, fl.Type) {
			return Errorf(ErrInvalidRequest, "Flow %s (%s) is of type %s; a %s takes a flow of type %s.", fl.ID, fl.Name, fl.Type, resourceType, strings.Join(slot.flowTypes, " or "))
		}
		return s.withFlowSlot(tx, iid, resourceType, resourceRef, func(field *string, put func(Tx) error) error {
			*field = fl.ID
			return put(tx)
		})
	})
}

// DisassociateFlow removes a resource's flow: ResourceNotFoundException
// when it has none.
func (s *Service) DisassociateFlow(ctx context.Context, instanceID, resourceRef, resourceType string) error {
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		return s.withFlowSlot(tx, iid, resourceType, resourceRef, func(field *string, put func(Tx) error) error {
			if *field == "" {
				return Errorf(ErrNotFound, "Resource %s has no %s flow association.", clip(resourceRef, 256), resourceType)
			}
			*field = ""
			return put(tx)
		})
	})
}

// GetFlowAssociation returns a resource's flow: ResourceNotFoundException
// when it has none.
func (s *Service) GetFlowAssociation(ctx context.Context, instanceID, resourceRef, resourceType string) (*FlowAssociation, error) {
	var out *FlowAssociation
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		all, err := s.flowAssociations(tx, iid, resourceType, false)
		if err != nil {
			return err
		}
		for i := range all {
			if sameResource(all[i].ResourceArn, resourceRef) {
				out = &all[i]
				return nil
			}
		}
		// Say whether the resource or its association is missing.
		if err := s.withFlowSlot(tx, iid, resourceType, resourceRef, func(*string, func(Tx) error) error { return nil }); err != nil {
			return err
		}
		return Errorf(ErrNotFound, "Resource %s has no %s flow association.", clip(resourceRef, 256), resourceType)
	})
	return out, err
}

// ListFlowAssociations lists the instance's flow associations, of one
// resource type or all, ordered by resource type and ARN.
func (s *Service) ListFlowAssociations(ctx context.Context, instanceID, resourceType string, page Page) ([]FlowAssociation, string, error) {
	var all []FlowAssociation
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		all, err = s.flowAssociations(tx, iid, resourceType, true)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return pageSlice(all, page)
}

// BatchGetFlowAssociation returns the associations of the resources given
// that have one (of resourceType, when set); others are left out.
func (s *Service) BatchGetFlowAssociation(ctx context.Context, instanceID string, resourceRefs []string, resourceType string) ([]FlowAssociation, error) {
	var out []FlowAssociation
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.instanceID(tx, instanceID)
		if err != nil {
			return err
		}
		all, err := s.flowAssociations(tx, iid, resourceType, true)
		if err != nil {
			return err
		}
		for _, ref := range resourceRefs {
			for _, a := range all {
				if sameResource(a.ResourceArn, ref) {
					out = append(out, a)
				}
			}
		}
		return nil
	})
	return out, err
}

// sameResource reports whether ref (an ARN or a bare ID) names the
// resource of ARN arn.
func sameResource(arn, ref string) bool {
	return arn == ref || strings.HasSuffix(arn, "/"+ref)
}

// flowAssociations collects an instance's associations, of one resource
// type or all. The listings (listing) leave SMS associations out: their
// ResourceType enum has no SMS_PHONE_NUMBER, and GetFlowAssociation shows
// them.
func (s *Service) flowAssociations(tx ReadTx, iid, resourceType string, listing bool) ([]FlowAssociation, error) {
	// Types that exist only in Connect (WhatsApp numbers, analytics
	// connectors) have no associations here.
	phones := resourceType == "" || resourceType == "SMS_PHONE_NUMBER" || resourceType == "VOICE_PHONE_NUMBER"
	emails := resourceType == "" || resourceType == "INBOUND_EMAIL" || resourceType == "OUTBOUND_EMAIL"
	var out []FlowAssociation
	add := func(resArn, flowID, typ string) {
		if flowID != "" && (resourceType == "" || resourceType == typ) {
			out = append(out, FlowAssociation{ResourceArn: resArn, FlowArn: s.resourceARN(iid, "contact-flow", flowID), ResourceType: typ})
		}
	}
	if phones {
		numbers, err := all[PhoneNumber](tx, KindPhoneNumber, "")
		if err != nil {
			return nil, err
		}
		for _, pn := range numbers {
			if pn.InstanceID == iid {
				if listing {
					// The listings' ResourceType has no SMS_PHONE_NUMBER.
					add(pn.Arn, pn.ContactFlowID, "VOICE_PHONE_NUMBER")
				} else {
					add(pn.Arn, pn.SMSFlowID, "SMS_PHONE_NUMBER")
					add(pn.Arn, pn.ContactFlowID, "VOICE_PHONE_NUMBER")
				}
			}
		}
	}
	if emails {
		addresses, err := all[EmailAddress](tx, KindEmailAddress, iid)
		if err != nil {
			return nil, err
		}
		for _, ea := range addresses {
			add(ea.Arn, ea.InboundFlowID, "INBOUND_EMAIL")
			add(ea.Arn, ea.OutboundFlowID, "OUTBOUND_EMAIL")
		}
	}
	slices.SortFunc(out, func(a, b FlowAssociation) int {
		return strings.Compare(a.ResourceType+" "+a.ResourceArn, b.ResourceType+" "+b.ResourceArn)
	})
	return out, nil
}
