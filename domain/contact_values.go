package domain

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Value objects carried by contacts, and the rules for them that the API
// model cannot express.

// Reference is a contact reference (a link, a number, a date, an attachment…).
type Reference struct {
	Type, Value, Status, Arn, StatusReason string
}

// SegmentValue is a segment attribute value. Exactly one member is set;
// ValueMap nests. ValueList and ValueArn are reserved for system-defined
// ("connect:…") attributes.
type SegmentValue struct {
	String  *string                 `json:",omitempty"`
	Integer *int32                  `json:",omitempty"`
	Map     map[string]SegmentValue `json:",omitempty"`
	List    []SegmentValue          `json:",omitempty"`
	Arn     *string                 `json:",omitempty"`
}

// Endpoint is a customer or system endpoint.
type Endpoint struct {
	Type, Address, DisplayName string
}

// RoutingCriteria is the contact's routing criteria as last set.
type RoutingCriteria struct {
	Steps          []RoutingStep
	ActivationTime time.Time
	Index          int
}

// RoutingStep is one step of routing criteria.
type RoutingStep struct {
	// ExpirySeconds is nil for a step that never expires.
	ExpirySeconds *int32
	ExpiryTime    time.Time
	Expression    Expression
	Status        string // ACTIVE | INACTIVE | JOINED | EXPIRED
}

// Expression selects agents. Normally one member is set; an And and an Or
// side by side are combined with AND (an AWS event sample shows that form).
type Expression struct {
	Attribute *AttributeCondition `json:",omitempty"`
	Not       *AttributeCondition `json:",omitempty"`
	And       []Expression        `json:",omitempty"`
	Or        []Expression        `json:",omitempty"`
}

// AttributeCondition compares an agent's proficiency or identity.
type AttributeCondition struct {
	Name, Value        string
	ProficiencyLevel   *float64 `json:",omitempty"`
	MinLevel, MaxLevel *float64 `json:",omitempty"`
	HasRange           bool     `json:",omitempty"`
	AgentIDs           []string `json:",omitempty"`
	HasMatchCriteria   bool     `json:",omitempty"`
	ComparisonOperator string
}

// Attachment is a file attached to a task or an email (metadata only: the
// file itself stays at its URL).
type Attachment struct {
	FileName, URL string
}

// MaxAttributesBytes bounds the user-defined attributes of a contact: keys
// and values together, in UTF-8 bytes.
const MaxAttributesBytes = 32768

var attributeKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// validateAttributes checks user-defined attributes as Connect does.
func validateAttributes(attrs map[string]string, code ErrorCode) error {
	for _, k := range sortedKeys(attrs) {
		if !attributeKeyPattern.MatchString(k) {
			return Errorf(code, "Attribute key %q is not valid: keys may contain only letters, digits, '-' and '_'.", clip(k, 64))
		}
	}
	if total := attributesSize(attrs); total > MaxAttributesBytes {
		return Errorf(code, "The contact attributes total %d bytes (UTF-8, keys and values together); the limit is %d. Remove or shorten attributes.", total, MaxAttributesBytes)
	}
	return nil
}

// attributesSize is the size of attributes as their quota counts it: the
// UTF-8 bytes of keys and values together.
func attributesSize(attrs map[string]string) int {
	total := 0
	for k, v := range attrs {
		total += len(k) + len(v)
	}
	return total
}

// Reference types each operation accepts at creation.
var (
	refTypesCreateContact = []string{"URL", "NUMBER", "STRING", "DATE", "EMAIL", "ATTACHMENT"}
	refTypesTask          = []string{"URL", "NUMBER", "STRING", "DATE", "EMAIL"}
	refTypesEmail         = []string{"URL", "NUMBER", "STRING", "DATE"}
)

// emailPattern is the model's EmailAddress pattern, anchored.
var emailPattern = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)

// validateReferences checks reference types (allowed == nil allows all) and
// that each value is well formed for its type.
func validateReferences(refs map[string]Reference, allowed []string, op string, code ErrorCode) error {
	for _, k := range sortedKeys(refs) {
		r := refs[k]
		if allowed != nil && !contains(allowed, r.Type) {
			return Errorf(code, "Reference %q has type %s, which %s does not accept; use one of %s.", clip(k, 64), r.Type, op, strings.Join(allowed, ", "))
		}
		if err := checkReferenceValue(k, r, code); err != nil {
			return err
		}
	}
	return nil
}

func checkReferenceValue(key string, r Reference, code ErrorCode) error {
	v := r.Value
	bad := func(want string) error {
		return Errorf(code, "Reference %q of type %s has value %q, which is not %s.", clip(key, 64), r.Type, clip(v, 64), want)
	}
	switch r.Type {
	case "URL":
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("an http(s) URL")
		}
	case "NUMBER":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return bad("a number")
		}
	case "DATE":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return bad("an epoch timestamp (whole seconds or milliseconds since 1970)")
		}
	case "EMAIL":
		if !emailPattern.MatchString(v) {
			return bad("an email address")
		}
	}
	return nil
}

// Segment attribute keys: user-defined keys follow the attribute key rule;
// system keys carry the "connect:" prefix.
var segmentKeyPattern = regexp.MustCompile(`^(connect:)?[A-Za-z0-9_-]+$`)

// MaxTaskExpiryMinutes is the longest a task or email may live (90 days).
const MaxTaskExpiryMinutes = 90 * 24 * 60

// validateSegmentAttributes checks segment attributes for a contact of the
// given channel.
func validateSegmentAttributes(attrs map[string]SegmentValue, code ErrorCode) error {
	for _, k := range sortedKeys(attrs) {
		if !segmentKeyPattern.MatchString(k) {
			return Errorf(code, "Segment attribute key %q is not valid: use letters, digits, '-' and '_' (system attributes start with \"connect:\").", clip(k, 64))
		}
		v := attrs[k]
		if err := checkSegmentValue(k, v, strings.HasPrefix(k, "connect:"), code); err != nil {
			return err
		}
		switch k {
		case "connect:Subtype":
			if v.String == nil {
				return Errorf(code, "Segment attribute connect:Subtype must be a ValueString such as \"connect:Chat\" or \"connect:SMS\".")
			}
		case "connect:ContactExpiry":
			if _, err := contactExpiryMinutes(v, code); err != nil {
				return err
			}
		}
	}
	return nil
}

// contactExpiryMinutes reads connect:ContactExpiry
// ({"ValueMap": {"ExpiryDuration": {"ValueInteger": minutes}}}).
func contactExpiryMinutes(v SegmentValue, code ErrorCode) (int, error) {
	d, ok := v.Map["ExpiryDuration"]
	if !ok || d.Integer == nil {
		return 0, Errorf(code, `Segment attribute connect:ContactExpiry must be {"ValueMap": {"ExpiryDuration": {"ValueInteger": <minutes>}}}.`)
	}
	m := int(*d.Integer)
	if m < 1 || m > MaxTaskExpiryMinutes {
		return 0, Errorf(code, "connect:ContactExpiry ExpiryDuration is %d minutes; it must be between 1 and %d (90 days).", m, MaxTaskExpiryMinutes)
	}
	return m, nil
}

func checkSegmentValue(key string, v SegmentValue, system bool, code ErrorCode) error {
	set := 0
	for _, b := range []bool{v.String != nil, v.Integer != nil, v.Map != nil, v.List != nil, v.Arn != nil} {
		if b {
			set++
		}
	}
	if set != 1 {
		return Errorf(code, "Segment attribute %q must have exactly one of ValueString, ValueInteger, ValueMap, ValueList or ValueArn; it has %d.", clip(key, 64), set)
	}
	if !system && (v.List != nil || v.Arn != nil) {
		return Errorf(code, "Segment attribute %q uses ValueList or ValueArn, which only system-defined (\"connect:\") attributes may use.", clip(key, 64))
	}
	for _, mk := range sortedKeys(v.Map) {
		if err := checkSegmentValue(key+"."+mk, v.Map[mk], system, code); err != nil {
			return err
		}
	}
	for i, e := range v.List {
		if err := checkSegmentValue(fmt.Sprintf("%s[%d]", key, i), e, system, code); err != nil {
			return err
		}
	}
	return nil
}

// segmentString returns the ValueString of a segment attribute, or "".
func segmentString(attrs map[string]SegmentValue, key string) string {
	if v, ok := attrs[key]; ok && v.String != nil {
		return *v.String
	}
	return ""
}

// Content-type limits of chat messages (the model allows up to 16,384; the
// API reference narrows it per type).
var chatContentLimits = map[string]int{
	"text/plain":       1024,
	"text/markdown":    1024,
	"application/json": 12000,
	"application/vnd.amazonaws.connect.message.interactive.response": 12288,
}

// validateChatMessage checks an initial chat message.
func validateChatMessage(field, contentType, content string) error {
	limit, ok := chatContentLimits[contentType]
	if !ok {
		return Errorf(ErrInvalidRequest, "%s.ContentType %q is not supported; use one of text/plain, text/markdown, application/json, application/vnd.amazonaws.connect.message.interactive.response.", field, clip(contentType, 100))
	}
	if n := utf8.RuneCountInString(content); n > limit {
		return Errorf(ErrInvalidRequest, "%s.Content is %d characters; %s messages may have at most %d.", field, n, contentType, limit)
	}
	return nil
}

// Messaging content types a chat may declare support for.
var supportedContentTypes = []string{
	"text/plain", "text/markdown", "application/json",
	"application/vnd.amazonaws.connect.message.interactive",
	"application/vnd.amazonaws.connect.message.interactive.response",
}

func validateSupportedContentTypes(types []string) error {
	if types == nil {
		return nil
	}
	for _, t := range types {
		if !contains(supportedContentTypes, t) {
			return Errorf(ErrInvalidRequest, "SupportedMessagingContentTypes contains %q; supported types are %s.", clip(t, 100), strings.Join(supportedContentTypes, ", "))
		}
	}
	if !contains(types, "text/plain") {
		return Errorf(ErrInvalidRequest, "SupportedMessagingContentTypes must include text/plain.")
	}
	return nil
}

var e164Pattern = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
