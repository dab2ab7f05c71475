package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// Flow statuses: a PUBLISHED flow's content has passed validation and runs;
// SAVED content is a draft kept as is.
const (
	FlowPublished = "PUBLISHED"
	FlowSaved     = "SAVED"
)

// ContentSHA256 is the FlowContentSha256 Connect reports: the hex SHA-256
// of the content, so clients can tell whether content changed.
func (f *ContactFlow) ContentSHA256() string {
	sum := sha256.Sum256([]byte(f.Content))
	return hex.EncodeToString(sum[:])
}

// ContactFlowParams are the inputs of CreateContactFlow.
type ContactFlowParams struct {
	Name, Type, Description, Content string
	Status                           string // "" = PUBLISHED
	Tags                             map[string]string
}

// validateFlow runs the flow language's checks, as publishing does, and
// turns its findings into InvalidContactFlowException with one problem per
// finding.
func validateFlow(flowType, content string) error {
	_, problems := flow.Validate(flowType, content)
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, 0, min(len(problems), flow.MaxProblems))
	for _, p := range problems[:min(len(problems), flow.MaxProblems)] {
		msgs = append(msgs, p.Message)
	}
	msg := "The flow content is not valid: " + msgs[0]
	if len(problems) > 1 {
		msg = "The flow content is not valid (" + strconv.Itoa(len(problems)) + " problems, listed in problems): " + msgs[0]
	}
	return &Error{Code: ErrInvalidContactFlow, Message: msg, Problems: msgs}
}

// CreateContactFlow creates a flow. PUBLISHED content (the default) must
// validate; SAVED content is stored without checks.
func (s *Service) CreateContactFlow(ctx context.Context, instanceID string, p ContactFlowParams) (*ContactFlow, error) {
	if p.Status == "" {
		p.Status = FlowPublished
	}
	if p.Status != FlowPublished && p.Status != FlowSaved {
		return nil, Errorf(ErrInvalidParameter, "Status %q is not valid; use PUBLISHED or SAVED.", clip(p.Status, 32))
	}
	if p.Status == FlowPublished {
		if err := validateFlow(p.Type, p.Content); err != nil {
			return nil, err
		}
	}
	var f *ContactFlow
	err := s.update(ctx, func(tx Tx) error {
		iid, err := s.resolveInstance(tx, instanceID)
		if err != nil {
			return err
		}
		if err := checkQuota(tx, KindContactFlow, iid, s.quotas.ContactFlows, ErrLimitExceeded, "contact-flows"); err != nil {
			return err
		}
		now := s.now()
		f = &ContactFlow{ID: s.newID(), InstanceID: iid, Name: p.Name, Description: p.Description, Type: p.Type,
			State: "ACTIVE", Status: p.Status, Content: p.Content, Tags: p.Tags, Version: 1, LastModifiedTime: now}
		f.Arn = s.newARN(KindContactFlow, iid, f.ID)
		return save(tx, KindContactFlow, iid, f, now, now)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// splitFlowRef separates a flow ID or ARN from the qualifier Connect
// accepts after it: "{id}:$SAVED", "{id}:$LATEST" or "{id}:{version}".
func splitFlowRef(ref string) (id, qualifier string) {
	id, qualifier, _ = strings.Cut(idFromARN(ref, "contact-flow"), ":")
	return id, qualifier
}

// DescribeContactFlow returns a flow. Switchboard keeps one content per
// flow (the latest, saved or published), so $SAVED and $LATEST both name it,
// and a version qualifier must be the current version.
func (s *Service) DescribeContactFlow(ctx context.Context, instanceID, flowRef string) (*ContactFlow, error) {
	id, q := splitFlowRef(flowRef)
	f, err := describe[ContactFlow](s, ctx, KindContactFlow, instanceID, id)
	if err != nil {
		return nil, err
	}
	switch {
	case q == "" || q == "$SAVED" || q == "$LATEST":
	case isVersion(q):
		if v, _ := strconv.ParseInt(q, 10, 64); v != f.Version {
			return nil, Errorf(ErrNotFound, "Version %s of flow %s not found; its current version is %d.", q, id, f.Version)
		}
	default:
		return nil, Errorf(ErrInvalidParameter, "ContactFlowId %q has an unknown qualifier %q; use the bare ID, or append :$SAVED, :$LATEST or :{version}.", clip(flowRef, 100), clip(q, 32))
	}
	return f, nil
}

func isVersion(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ListContactFlows pages through the flows of the given types (all when
// empty).
func (s *Service) ListContactFlows(ctx context.Context, instanceID string, types []string, page Page) ([]ContactFlow, string, error) {
	var keep func(*ContactFlow) bool
	if in := oneOf(types); in != nil {
		keep = func(f *ContactFlow) bool { return in(f.Type) }
	}
	return listIn(s, ctx, KindContactFlow, instanceID, page, keep)
}

// UpdateContactFlowContent replaces a flow's content. A published flow's new
// content must validate (it is what runs); a saved flow's is kept as is.
// Each change makes a new version.
func (s *Service) UpdateContactFlowContent(ctx context.Context, instanceID, flowRef, content string) error {
	id, _ := splitFlowRef(flowRef)
	_, err := modify(s, ctx, KindContactFlow, instanceID, id, func(_ Tx, _ string, now time.Time, f *ContactFlow) error {
		if f.Status == FlowPublished {
			if err := validateFlow(f.Type, content); err != nil {
				return err
			}
		}
		f.Content = content
		f.Version++
		f.LastModifiedTime = now
		return nil
	})
	return err
}

// UpdateContactFlowMetadata changes the name, description and/or state
// (ACTIVE or ARCHIVED) given.
func (s *Service) UpdateContactFlowMetadata(ctx context.Context, instanceID, flowRef string, name, description, state *string) error {
	if state != nil && *state != "ACTIVE" && *state != "ARCHIVED" {
		return Errorf(ErrInvalidParameter, "ContactFlowState %q is not valid; use ACTIVE or ARCHIVED.", clip(*state, 32))
	}
	id, _ := splitFlowRef(flowRef)
	_, err := modify(s, ctx, KindContactFlow, instanceID, id, func(_ Tx, _ string, now time.Time, f *ContactFlow) error {
		if name != nil {
			f.Name = *name
		}
		if description != nil {
			f.Description = *description
		}
		if state != nil {
			f.State = *state
		}
		f.LastModifiedTime = now
		return nil
	})
	return err
}

// UpdateContactFlowName changes the name and/or description given.
func (s *Service) UpdateContactFlowName(ctx context.Context, instanceID, flowRef string, name, description *string) error {
	return s.UpdateContactFlowMetadata(ctx, instanceID, flowRef, name, description, nil)
}

// isDefaultFlow reports a flow provisioned with the instance; the contact
// engine falls back to them, so they cannot be deleted.
func isDefaultFlow(f *ContactFlow) bool {
	return slices.ContainsFunc(defaultFlows, func(d struct{ Type, Name string }) bool { return d.Type == f.Type && d.Name == f.Name })
}

// DeleteContactFlow deletes a flow that is not a default flow and that no
// queue, quick connect or task template uses. The model has no
// ResourceInUseException for this operation, so a flow in use is an
// InvalidRequestException naming the user.
func (s *Service) DeleteContactFlow(ctx context.Context, instanceID, flowRef string) error {
	id, _ := splitFlowRef(flowRef)
	return s.remove(ctx, KindContactFlow, instanceID, id, func(tx Tx, iid, id string) error {
		f, err := getDoc[ContactFlow](tx, KindContactFlow, iid, id)
		if err != nil {
			return err
		}
		if isDefaultFlow(f) {
			return Errorf(ErrInvalidRequest, "Flow %q (%s) is a default flow of the instance and cannot be deleted.", f.Name, id)
		}
		inUse := func(what, name, userID string) error {
			return Errorf(ErrInvalidRequest, "Flow %s is used by %s %q (%s); point it at another flow first.", id, what, name, userID)
		}
		queues, err := all[Queue](tx, KindQueue, iid)
		if err != nil {
			return err
		}
		for _, q := range queues {
			if q.OutboundFlowID == id {
				return inUse("queue", q.Name, q.ID)
			}
		}
		qcs, err := all[QuickConnect](tx, KindQuickConnect, iid)
		if err != nil {
			return err
		}
		for _, qc := range qcs {
			if qc.ContactFlowID == id {
				return inUse("quick connect", qc.Name, qc.ID)
			}
		}
		tts, err := all[TaskTemplate](tx, KindTaskTemplate, iid)
		if err != nil {
			return err
		}
		for _, t := range tts {
			if t.ContactFlowID == id || t.SelfAssignFlowID == id {
				return inUse("task template", t.Name, t.ID)
			}
		}
		return nil
	})
}

// flowSearchFields are the FieldName values SearchContactFlows takes.
var flowSearchFields = map[string]func(*ContactFlow) []string{
	"name":        func(f *ContactFlow) []string { return []string{f.Name} },
	"description": func(f *ContactFlow) []string { return []string{f.Description} },
	"resourceid":  func(f *ContactFlow) []string { return []string{f.ID} },
}

// flowEnums are SearchContactFlows' TypeCondition, StateCondition and
// StatusCondition.
var flowEnums = map[string]func(*ContactFlow) string{
	"Type":   func(f *ContactFlow) string { return f.Type },
	"State":  func(f *ContactFlow) string { return f.State },
	"Status": func(f *ContactFlow) string { return f.Status },
}

// FlowAttributeCondition is one AND of SearchContactFlows'
// FlowAttributeFilter: every tag condition, and the flow type when set.
type FlowAttributeCondition struct {
	Tags []TagCondition
	Type string
}

func (c *FlowAttributeCondition) matches(f *ContactFlow) bool {
	return allTags(c.Tags, f.Tags) && (c.Type == "" || f.Type == c.Type)
}

// FlowAttributeFilter is a ContactFlowAttributeFilter: any of Or, And, the
// single Tag and the single Type; the parts given must all hold.
type FlowAttributeFilter struct {
	Or   []FlowAttributeCondition
	And  *FlowAttributeCondition
	Tag  *TagCondition
	Type string
}

func (a *FlowAttributeFilter) matches(f *ContactFlow) bool {
	if a == nil {
		return true
	}
	if a.And != nil && !a.And.matches(f) || a.Tag != nil && !a.Tag.matches(f.Tags) || a.Type != "" && f.Type != a.Type {
		return false
	}
	if len(a.Or) == 0 {
		return true
	}
	for i := range a.Or {
		if a.Or[i].matches(f) {
			return true
		}
	}
	return false
}

// SearchContactFlows finds the flows that match criteria and both filters,
// with the total count.
func (s *Service) SearchContactFlows(ctx context.Context, instanceID string, criteria *SearchCriteria, tags *TagFilter, attrs *FlowAttributeFilter, page Page) ([]ContactFlow, string, int, error) {
	match, err := compileSearch(criteria, flowSearchFields, flowEnums)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindContactFlow, instanceID, page, func(f *ContactFlow) bool {
		return match(f) && tags.matchTags(f.Tags) && attrs.matches(f)
	}, func(f *ContactFlow) string { return f.ID })
}
