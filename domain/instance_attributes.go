package domain

import (
	"context"
	"strings"
)

// Instance attributes are the feature switches of an instance
// (DescribeInstanceAttribute, UpdateInstanceAttribute,
// ListInstanceAttributes). Every one Connect has is a boolean carried as
// the string "true" or "false". Two of them are also fields of the
// instance itself (InboundCallsEnabled, OutboundCallsEnabled), so they are
// kept there and the others in Instance.Attributes, which holds only what
// was set: an attribute never set reads as its default.

// InstanceAttributeTypes are the attribute types in the model's order,
// which is the order ListInstanceAttributes answers in.
var InstanceAttributeTypes = []string{
	"INBOUND_CALLS", "OUTBOUND_CALLS", "CONTACTFLOW_LOGS", "CONTACT_LENS",
	"AUTO_RESOLVE_BEST_VOICES", "USE_CUSTOM_TTS_VOICES", "EARLY_MEDIA",
	"MULTI_PARTY_CONFERENCE", "HIGH_VOLUME_OUTBOUND", "ENHANCED_CONTACT_MONITORING",
	"ENHANCED_CHAT_MONITORING", "MULTI_PARTY_CHAT_CONFERENCE", "MESSAGE_STREAMING",
}

// instanceAttributeDefaults are the values a new instance has, as a
// console-created instance shows them: Contact Lens, best-voice
// resolution and early media on, the rest off.
var instanceAttributeDefaults = map[string]bool{
	"CONTACT_LENS": true, "AUTO_RESOLVE_BEST_VOICES": true, "EARLY_MEDIA": true,
}

// InstanceAttribute is one attribute and its value ("true" or "false").
type InstanceAttribute struct {
	Type, Value string
}

// attribute reads one attribute of the instance.
func (i *Instance) attribute(t string) string {
	var on bool
	switch t {
	case "INBOUND_CALLS":
		on = i.InboundCallsEnabled
	case "OUTBOUND_CALLS":
		on = i.OutboundCallsEnabled
	default:
		if v, ok := i.Attributes[t]; ok {
			return v
		}
		on = instanceAttributeDefaults[t]
	}
	if on {
		return "true"
	}
	return "false"
}

// checkAttributeType refuses a type the model does not have (the API
// layer's enum check already does; this keeps the domain whole).
func checkAttributeType(t string) error {
	for _, known := range InstanceAttributeTypes {
		if t == known {
			return nil
		}
	}
	return Errorf(ErrInvalidParameter, "%q is not an instance attribute type; use one of %s.", clip(t, 64), strings.Join(InstanceAttributeTypes, ", "))
}

// DescribeInstanceAttribute returns one attribute of an instance.
func (s *Service) DescribeInstanceAttribute(ctx context.Context, instanceID, attrType string) (InstanceAttribute, error) {
	if err := checkAttributeType(attrType); err != nil {
		return InstanceAttribute{}, err
	}
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return InstanceAttribute{}, err
	}
	return InstanceAttribute{Type: attrType, Value: inst.attribute(attrType)}, nil
}

// ListInstanceAttributes pages through every attribute of an instance.
func (s *Service) ListInstanceAttributes(ctx context.Context, instanceID string, page Page) ([]InstanceAttribute, string, error) {
	inst, err := s.DescribeInstance(ctx, instanceID)
	if err != nil {
		return nil, "", err
	}
	page.Default = 7 // the most the model allows in a page
	types, next, err := pageSlice(InstanceAttributeTypes, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]InstanceAttribute, 0, len(types))
	for _, t := range types {
		out = append(out, InstanceAttribute{Type: t, Value: inst.attribute(t)})
	}
	return out, next, nil
}

// UpdateInstanceAttribute sets one attribute. The value must be "true" or
// "false" in any case; it is stored in lower case, as Connect shows it.
// INBOUND_CALLS and OUTBOUND_CALLS change the instance's
// InboundCallsEnabled and OutboundCallsEnabled, which DescribeInstance
// shows.
func (s *Service) UpdateInstanceAttribute(ctx context.Context, instanceID, attrType, value string) error {
	if err := checkAttributeType(attrType); err != nil {
		return err
	}
	v := strings.ToLower(value)
	if v != "true" && v != "false" {
		return Errorf(ErrInvalidParameter, "The value of instance attribute %s must be \"true\" or \"false\", not %q.", attrType, clip(value, 100))
	}
	return s.modifyInstance(ctx, instanceID, func(_ Tx, inst *Instance) error {
		switch attrType {
		case "INBOUND_CALLS":
			inst.InboundCallsEnabled = v == "true"
		case "OUTBOUND_CALLS":
			inst.OutboundCallsEnabled = v == "true"
		default:
			if inst.Attributes == nil {
				inst.Attributes = map[string]string{}
			}
			inst.Attributes[attrType] = v
		}
		return nil
	})
}
