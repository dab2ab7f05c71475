package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The configuration resources of an instance. Their fields follow the Amazon
// Connect shapes of the same name so the API layer maps them one to one, but
// they carry no wire concerns (no JSON names dictated by the model): they are
// stored as documents by the store.

// HoursOfOperation is a weekly schedule in a time zone.
type HoursOfOperation struct {
	ID, Arn, InstanceID string
	Name, Description   string
	TimeZone            string
	Config              []HoursConfig
	// ParentIDs are the hours this one inherits from (at most 3): it
	// takes their overrides too.
	ParentIDs []string
	// Overrides change the hours on some dates (hours_override.go).
	Overrides        []HoursOverride `json:",omitempty"`
	Tags             map[string]string
	LastModifiedTime time.Time
}

// HoursConfig is one day's open interval; End may be before Start (the
// interval crosses midnight) and Start == End means open all day.
type HoursConfig struct {
	Day                                            string // MONDAY … SUNDAY
	StartHours, StartMinutes, EndHours, EndMinutes int
}

// Queue is a standard queue (agent queues come with users).
type Queue struct {
	ID, Arn, InstanceID    string
	Name, Description      string
	HoursOfOperationID     string
	MaxContacts            *int
	Status                 string // ENABLED | DISABLED
	QueueType              string // STANDARD | AGENT
	OutboundCallerIDName   string
	OutboundCallerIDNumber string // phone number ID
	OutboundFlowID         string
	OutboundEmailAddressID string
	QuickConnectIDs        []string
	// EmailAddressIDs are the addresses whose inbound email lands here.
	EmailAddressIDs  []string
	Tags             map[string]string
	LastModifiedTime time.Time
}

// ContactFlow is a flow document with its metadata.
type ContactFlow struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Type                string // ContactFlowType
	State               string // ACTIVE | ARCHIVED
	Status              string // PUBLISHED | SAVED
	Content             string
	Tags                map[string]string
	Version             int64
	LastModifiedTime    time.Time
}

// SecurityProfile is a named set of permissions. Switchboard keeps the
// default profiles Connect provisions; permissions are not enforced.
type SecurityProfile struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Permissions         []string
	// The access controls below are stored and shown; like Permissions,
	// they are not enforced (one account, root credentials).
	AllowedAccessControlTags             map[string]string            `json:",omitempty"`
	TagRestrictedResources               []string                     `json:",omitempty"`
	HierarchyRestrictedResources         []string                     `json:",omitempty"`
	AllowedAccessControlHierarchyGroupID string                       `json:",omitempty"`
	Applications                         []SecurityProfileApplication `json:",omitempty"`
	AllowedFlowModules                   []SecurityProfileFlowModule  `json:",omitempty"`
	Tags                                 map[string]string
	LastModifiedTime                     time.Time
}

// SecurityProfileApplication is an application a security profile grants
// permissions in (Application).
type SecurityProfileApplication struct {
	Namespace, Type string
	Permissions     []string
}

// SecurityProfileFlowModule is a module a security profile allows
// (AllowedFlowModules' FlowModule).
type SecurityProfileFlowModule struct {
	Type, ID string
}

// AgentStatus is a status an agent can be in.
type AgentStatus struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Type                string // ROUTABLE | CUSTOM | OFFLINE
	State               string // ENABLED | DISABLED
	DisplayOrder        int
	Tags                map[string]string
	LastModifiedTime    time.Time
}

// RoutingProfile decides which queues and channels an agent serves.
type RoutingProfile struct {
	ID, Arn, InstanceID    string
	Name, Description      string
	DefaultOutboundQueueID string
	MediaConcurrencies     []MediaConcurrency
	QueueConfigs           []RoutingProfileQueueConfig
	// ManualAssignmentQueues are the queue+channel pairs whose contacts
	// agents pick or are assigned by hand; the routing engine ignores them.
	ManualAssignmentQueues []QueueChannel
	AgentAvailabilityTimer string
	IsDefault              bool
	Tags                   map[string]string
	LastModifiedTime       time.Time
}

// MediaConcurrency is how many contacts of a channel an agent may hold.
type MediaConcurrency struct {
	Channel              string
	Concurrency          int
	CrossChannelBehavior string // ROUTE_CURRENT_CHANNEL_ONLY | ROUTE_ANY_CHANNEL
}

// QueueChannel is a queue and one of its channels.
type QueueChannel struct {
	QueueID, Channel string
}

// RoutingProfileQueueConfig places a queue+channel in a routing profile.
type RoutingProfileQueueConfig struct {
	QueueID  string
	Channel  string
	Priority int
	Delay    int
}

// EmailAddress is an address of the instance that receives email contacts.
type EmailAddress struct {
	ID, Arn, InstanceID string
	Address             string
	DisplayName         string
	Description         string
	Tags                map[string]string
	CreatedTime         time.Time
	LastModifiedTime    time.Time
	// InboundFlowID and OutboundFlowID are the address's flows
	// (AssociateFlow INBOUND_EMAIL, OUTBOUND_EMAIL).
	InboundFlowID  string `json:",omitzero"`
	OutboundFlowID string `json:",omitzero"`
	// AliasIDs are the addresses that forward to this one (at most one,
	// AssociateEmailAddressAlias); AliasOf is, on such an alias, the
	// address it forwards to.
	AliasIDs []string `json:",omitempty"`
	AliasOf  string   `json:",omitzero"`
}

// PhoneNumber is a number claimed into the account's local pool. Phone
// numbers are account-level resources (their ARN is not under an instance),
// claimed to an instance or traffic distribution group (TargetArn).
type PhoneNumber struct {
	ID, Arn     string
	Number      string // E.164
	CountryCode string
	Type        string // DID | TOLL_FREE | …
	Description string
	TargetArn   string
	InstanceID  string
	Status      string // CLAIMED
	Tags        map[string]string
	// ContactFlowID is the inbound flow (AssociatePhoneNumberContactFlow)
	// that starts a contact for a text to the number with no open chat.
	ContactFlowID string `json:",omitzero"`
	// SMSFlowID is the flow AssociateFlow (SMS_PHONE_NUMBER) set for
	// texts; it wins over ContactFlowID when both are set.
	SMSFlowID string `json:",omitzero"`
}

// TaskTemplate defines the fields of a task and the flow that runs it.
type TaskTemplate struct {
	ID, Arn, InstanceID string
	Name, Description   string
	ContactFlowID       string
	SelfAssignFlowID    string
	Status              string // ACTIVE | INACTIVE
	Constraints         TaskTemplateConstraints
	Defaults            []TaskTemplateDefault
	Fields              []TaskTemplateField
	Tags                map[string]string
	CreatedTime         time.Time
	LastModifiedTime    time.Time
}

// TaskTemplateConstraints lists fields by their constraint.
type TaskTemplateConstraints struct {
	Required, ReadOnly, Invisible []string
}

// TaskTemplateDefault is a field's default value.
type TaskTemplateDefault struct {
	Field, Value string
}

// TaskTemplateField is a field of a task template.
type TaskTemplateField struct {
	Name, Description, Type string
	SingleSelectOptions     []string
}

// QuickConnect is a transfer destination.
type QuickConnect struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Type                string // USER | QUEUE | PHONE_NUMBER | FLOW
	UserID              string
	QueueID             string
	ContactFlowID       string
	PhoneNumber         string
	Tags                map[string]string
	LastModifiedTime    time.Time
}

// recordKey returns what the store indexes a resource by: its ID and its
// unique name ("" when the kind has no unique name).
func (h *HoursOfOperation) recordKey() (string, string) { return h.ID, h.Name }
func (q *Queue) recordKey() (string, string)            { return q.ID, q.Name }
func (f *ContactFlow) recordKey() (string, string)      { return f.ID, f.Name }
func (m *FlowModule) recordKey() (string, string)       { return m.ID, m.Name }
func (p *SecurityProfile) recordKey() (string, string)  { return p.ID, p.Name }
func (t *TaskTemplate) recordKey() (string, string)     { return t.ID, "" }
func (q *QuickConnect) recordKey() (string, string)     { return q.ID, q.Name }

// Email addresses are unique per instance regardless of case, as mail is.
func (e *EmailAddress) recordKey() (string, string) { return e.ID, strings.ToLower(e.Address) }

// Phone numbers are account-level: the number itself is the unique name, so
// claiming a number twice is refused by the store's index.
func (p *PhoneNumber) recordKey() (string, string) { return p.ID, p.Number }

// keyed is a pointer to a resource type.
type keyed[T any] interface {
	*T
	recordKey() (id, name string)
}

// kindInfo names each kind in messages and gives its ARN resource type
// (connect-semantics §0).
var kindInfo = map[Kind]struct{ what, arnType string }{
	KindHoursOfOperation:       {"Hours of operation", "operating-hours"},
	KindQueue:                  {"Queue", "queue"},
	KindContactFlow:            {"Flow", "contact-flow"},
	KindFlowModule:             {"Flow module", "flow-module"},
	KindHierarchyGroup:         {"Hierarchy group", "agent-group"},
	KindPrompt:                 {"Prompt", "prompt"},
	KindVocabulary:             {"Vocabulary", "vocabulary"},
	KindEmailAddress:           {"Email address", "email-address"},
	KindPhoneNumber:            {"Phone number", "phone-number"},
	KindTaskTemplate:           {"Task template", "task-template"},
	KindQuickConnect:           {"Quick connect", "transfer-destination"},
	KindSecurityProfile:        {"Security profile", "security-profile"},
	KindAgentStatus:            {"Agent status", "agent-state"},
	KindRoutingProfile:         {"Routing profile", "routing-profile"},
	KindUser:                   {"User", "agent"},
	KindPredefinedAttribute:    {"Predefined attribute", "predefined-attribute"},
	KindIntegrationAssociation: {"Integration association", "integration-association"},
	KindUseCase:                {"Use case", "use-case"},
	KindAuthenticationProfile:  {"Authentication profile", "authentication-profile"},
	KindNotification:           {"Notification", "notification"},
	KindView:                   {"View", "view"},
	KindRule:                   {"Rule", "rule"},
	KindEvaluationForm:         {"Evaluation form", "evaluation-form"},
	KindContactEvaluation:      {"Contact evaluation", "contact-evaluation"},
	KindDataTable:              {"Data table", "data-table"},
	KindWorkspace:              {"Workspace", "workspace"},
}

// HomeRegion is the Region resources report as LastModifiedRegion: this
// server runs in one Region.
func (s *Service) HomeRegion() string { return s.cfg.Region }

// newARN is the ARN of a new resource of kind under an instance.
func (s *Service) newARN(kind Kind, instanceID, id string) string {
	return s.resourceARN(instanceID, kindInfo[kind].arnType, id)
}

// resolveInstance turns an instance ID or ARN into the ID of an existing
// instance.
func (s *Service) resolveInstance(tx ReadTx, instanceID string) (string, error) {
	// An existence check: decoding the instance document costs more than
	// the operations that only need its ID.
	return s.instanceID(tx, instanceID)
}

// getIn loads a resource of an instance by ID or ARN; a miss is a
// ResourceNotFoundException naming what was looked for.
func getIn[T any](tx ReadTx, kind Kind, instanceID, ref string) (*T, error) {
	info := kindInfo[kind]
	v, err := getDoc[T](tx, kind, instanceID, idFromARN(ref, info.arnType))
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "%s %s not found in instance %s; check the ID (the List operation shows what exists).", info.what, clip(ref, 100), instanceID)
	}
	return v, err
}

// resourceIn resolves an instance and loads one of its resources by ID or
// ARN, as the operations on one resource (and what hangs off it) start.
func resourceIn[T any](s *Service, tx ReadTx, kind Kind, instanceID, ref string) (string, *T, error) {
	iid, err := s.resolveInstance(tx, instanceID)
	if err != nil {
		return "", nil, err
	}
	v, err := getIn[T](tx, kind, iid, ref)
	return iid, v, err
}

// exists checks that a referenced resource exists; role says what the
// request used it for, so the message points at the member to fix.
func exists(tx ReadTx, kind Kind, instanceID, ref, role string) error {
	info := kindInfo[kind]
	_, err := tx.GetRecord(kind, instanceID, idFromARN(ref, info.arnType))
	if errors.Is(err, ErrStoreNotFound) {
		return Errorf(ErrNotFound, "%s %s (%s) not found in instance %s; create it first or pass the ID of an existing one.", info.what, clip(ref, 100), role, instanceID)
	}
	return err
}

// save stores a resource, turning a taken name into DuplicateResourceException.
func save[T any, P keyed[T]](tx Tx, kind Kind, instanceID string, v P, created, updated time.Time) error {
	id, name := v.recordKey()
	err := putDoc(tx, kind, instanceID, id, name, created, updated, v)
	if errors.Is(err, ErrStoreDuplicate) {
		return Errorf(ErrDuplicate, "%s %q already exists in this instance; names must be unique, choose another.", kindInfo[kind].what, clip(name, 127))
	}
	return err
}

// checkQuota refuses a create when the instance already holds limit records
// of kind. code is the exception the operation's model lists for it.
func checkQuota(tx ReadTx, kind Kind, instanceID string, limit int, code ErrorCode, quotaName string) error {
	n, err := tx.CountRecords(kind, instanceID)
	if err != nil {
		return err
	}
	if n >= limit {
		return Errorf(code, "The instance already has %d %s resources, its quota; delete one, or start the server with --quota %s=N.", n, strings.ToLower(kindInfo[kind].what), quotaName)
	}
	return nil
}

// describe loads one resource of an instance.
func describe[T any](s *Service, ctx context.Context, kind Kind, instanceID, ref string) (*T, error) {
	var out *T
	err := viewResource(s, ctx, kind, instanceID, ref, func(_ ReadTx, _ string, v *T) error {
		out = v
		return nil
	})
	return out, err
}

// viewResource finds the instance and a resource of it in one read
// transaction and runs fn on them: the opening of the operations that
// read a resource and what it names.
func viewResource[T any](s *Service, ctx context.Context, kind Kind, instanceID, ref string, fn func(tx ReadTx, iid string, v *T) error) error {
	return s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		v, err := getIn[T](tx, kind, iid, ref)
		if err != nil {
			return err
		}
		return fn(tx, iid, v)
	})
}

// modify loads a resource, lets fn change it and stores it back, keeping its
// creation time. fn returns a rule violation to refuse the change.
func modify[T any, P keyed[T]](s *Service, ctx context.Context, kind Kind, instanceID, ref string, fn func(tx Tx, iid string, now time.Time, v P) error) (P, error) {
	var out P
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		info := kindInfo[kind]
		rec, err := tx.GetRecord(kind, iid, idFromARN(ref, info.arnType))
		if errors.Is(err, ErrStoreNotFound) {
			return Errorf(ErrNotFound, "%s %s not found in instance %s; check the ID (the List operation shows what exists).", info.what, clip(ref, 100), iid)
		}
		if err != nil {
			return err
		}
		v := P(new(T))
		if err := json.Unmarshal(rec.Data, v); err != nil {
			return fmt.Errorf("decode %s %s: %w", kind, rec.ID, err)
		}
		now := s.now()
		if err := fn(tx, iid, now, v); err != nil {
			return err
		}
		out = v
		return save[T, P](tx, kind, iid, v, rec.CreatedAt, now)
	})
	if err == nil {
		s.notifyConfig(instanceID, kind, ref)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// remove deletes a resource of an instance after inUse found nothing
// depending on it.
func (s *Service) remove(ctx context.Context, kind Kind, instanceID, ref string, inUse func(tx Tx, iid, id string) error) error {
	defer s.notifyConfig(instanceID, kind, ref)
	return s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		info := kindInfo[kind]
		id := idFromARN(ref, info.arnType)
		if _, err := tx.GetRecord(kind, iid, id); err != nil {
			if errors.Is(err, ErrStoreNotFound) {
				return Errorf(ErrNotFound, "%s %s not found in instance %s; it may already be deleted.", info.what, clip(ref, 100), iid)
			}
			return err
		}
		if inUse != nil {
			if err := inUse(tx, iid, id); err != nil {
				return err
			}
		}
		return tx.DeleteRecord(kind, iid, id)
	})
}

// scanBatch is how many records a filtered scan reads at a time.
const scanBatch = 256

// listWhere pages through the records of a kind that keep accepts (nil
// keeps all). Filtering happens before paging, so every page but the last
// is full and a token resumes after the last record returned.
func listWhere[T any](tx ReadTx, kind Kind, instanceID string, page Page, keep func(*T) bool) ([]T, string, error) {
	after, err := decodeToken(page.NextToken)
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	out := make([]T, 0, min(limit, scanBatch))
	last := ""
	for {
		recs, err := tx.ListRecords(kind, instanceID, after, scanBatch)
		if err != nil {
			return nil, "", err
		}
		for _, r := range recs {
			after = r.ID
			var v T
			if err := json.Unmarshal(r.Data, &v); err != nil {
				return nil, "", fmt.Errorf("decode %s %s: %w", kind, r.ID, err)
			}
			if keep != nil && !keep(&v) {
				continue
			}
			if len(out) == limit {
				// One more match exists: the page is full and not the last.
				return out, encodeToken(last), nil
			}
			out = append(out, v)
			last = r.ID
		}
		if len(recs) < scanBatch {
			return out, "", nil
		}
	}
}

// listIn runs listWhere in a read transaction after resolving the instance.
func listIn[T any](s *Service, ctx context.Context, kind Kind, instanceID string, page Page, keep func(*T) bool) ([]T, string, error) {
	var out []T
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		out, next, err = listWhere(tx, kind, iid, page, keep)
		return err
	})
	return out, next, err
}

// allOf returns the records of kind that belong to a parent (a module's
// versions, a view's), keep saying which, sorted by cmp.
func allOf[T any](tx ReadTx, kind Kind, instanceID string, keep func(*T) bool, cmp func(a, b T) int) ([]T, error) {
	every, err := all[T](tx, kind, instanceID)
	if err != nil {
		return nil, err
	}
	mine := slices.DeleteFunc(every, func(v T) bool { return !keep(&v) })
	slices.SortFunc(mine, cmp)
	return mine, nil
}

// all returns every record of a kind in an instance, for the reference
// checks that guard deletes (instances hold at most a few hundred).
func all[T any](tx ReadTx, kind Kind, instanceID string) ([]T, error) {
	recs, err := tx.ListRecords(kind, instanceID, "", 0)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		var v T
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return nil, fmt.Errorf("decode %s %s: %w", kind, r.ID, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// oneOf builds a set filter: nil (match all) for an empty list.
func oneOf(values []string) func(string) bool {
	if len(values) == 0 {
		return nil
	}
	set := make(map[string]bool, len(values))
	for _, v := range values {
		set[v] = true
	}
	return func(v string) bool { return set[v] }
}

// isNotFound reports a store miss.
func isNotFound(err error) bool { return errors.Is(err, ErrStoreNotFound) }
