package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// FlowModule is a flow module: a reusable piece of flow that inbound flows
// call with InvokeFlowModule and that returns with EndFlowModuleExecution.
// Its content is in the flow language, checked as an inbound flow's is.
type FlowModule struct {
	ID, Arn, InstanceID string
	Name, Description   string
	Content             string
	State               string // ACTIVE | ARCHIVED
	Status              string // PUBLISHED | SAVED
	// Settings is the module's settings document (FlowModuleSettings),
	// kept as given.
	Settings string `json:",omitempty"`
	// ExternalInvocation is ExternalInvocationConfiguration.Enabled, nil
	// when never set.
	ExternalInvocation *bool `json:",omitempty"`
	Tags               map[string]string
	LastModifiedTime   time.Time
	// Versions is the number of the module's latest version
	// (CreateContactFlowModuleVersion), 0 before the first.
	Versions int64 `json:",omitzero"`
	// Version and VersionDescription are set on a version's snapshot
	// (DescribeContactFlowModule of "{id}:{version}"). Not stored.
	Version            int64  `json:"-"`
	VersionDescription string `json:"-"`
}

// ContentSHA256 is the FlowModuleContentSha256 Connect reports.
func (m *FlowModule) ContentSHA256() string {
	sum := sha256.Sum256([]byte(m.Content))
	return hex.EncodeToString(sum[:])
}

// FlowModuleParams are the inputs of CreateContactFlowModule.
type FlowModuleParams struct {
	ClientToken                string
	Name, Description, Content string
	Settings                   string
	ExternalInvocation         *bool
	Tags                       map[string]string
}

// validateModule checks module content as publishing does: the flow
// language's rules for an inbound flow, whose actions a module may use,
// answered as InvalidContactFlowModuleException.
func validateModule(content string) error {
	_, problems := flow.Validate("CONTACT_FLOW", content)
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, 0, min(len(problems), flow.MaxProblems))
	for _, p := range problems[:min(len(problems), flow.MaxProblems)] {
		msgs = append(msgs, p.Message)
	}
	msg := "The flow module content is not valid: " + msgs[0]
	if len(problems) > 1 {
		msg = "The flow module content is not valid (" + strconv.Itoa(len(problems)) + " problems, listed in Problems): " + msgs[0]
	}
	return &Error{Code: ErrInvalidModuleContent, Message: msg, Problems: msgs}
}

// CreateContactFlowModule creates a published module. A ClientToken makes
// a retry answer the module the first request created.
func (s *Service) CreateContactFlowModule(ctx context.Context, instanceID string, p FlowModuleParams) (*FlowModule, error) {
	if err := validateModule(p.Content); err != nil {
		return nil, err
	}
	var m *FlowModule
	tok := newClientToken("CreateContactFlowModule", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		iid, id, now, prior, err := newIn[FlowModule](s, tx, KindFlowModule, instanceID, tok)
		if err != nil || prior != nil {
			m = prior
			return err
		}
		if err := checkQuota(tx, KindFlowModule, iid, s.quotas.FlowModules, ErrLimitExceeded, "flow-modules"); err != nil {
			return err
		}
		m = &FlowModule{ID: id, InstanceID: iid, Name: p.Name, Description: p.Description, Content: p.Content,
			State: "ACTIVE", Status: FlowPublished, Settings: p.Settings, ExternalInvocation: p.ExternalInvocation,
			Tags: p.Tags, LastModifiedTime: now}
		m.Arn = s.newARN(KindFlowModule, iid, id)
		return save(tx, KindFlowModule, iid, m, now, now)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DescribeContactFlowModule returns a module by ID or ARN.
// With the qualifier ":{version}" it is the module as that version
// captured it; ":$SAVED" and ":$LATEST" name the module itself.
func (s *Service) DescribeContactFlowModule(ctx context.Context, instanceID, moduleID string) (*FlowModule, error) {
	id, q, _ := strings.Cut(idFromARN(moduleID, kindInfo[KindFlowModule].arnType), ":")
	switch {
	case q == "" || q == "$SAVED" || q == "$LATEST":
		return describe[FlowModule](s, ctx, KindFlowModule, instanceID, id)
	case isVersion(q):
		v, _ := strconv.ParseInt(q, 10, 64)
		return s.describeModuleVersion(ctx, instanceID, id, v)
	}
	return nil, Errorf(ErrInvalidParameter, "ContactFlowModuleId %q has an unknown qualifier %q; use the bare ID, or append :{version}.", clip(moduleID, 256), clip(q, 32))
}

// ListContactFlowModules pages through the modules, of one state when
// state is set.
func (s *Service) ListContactFlowModules(ctx context.Context, instanceID, state string, page Page) ([]FlowModule, string, error) {
	var keep func(*FlowModule) bool
	if state != "" {
		keep = func(m *FlowModule) bool { return m.State == state }
	}
	return listIn(s, ctx, KindFlowModule, instanceID, page, keep)
}

// UpdateContactFlowModuleContent replaces a module's content, which must
// validate, and its settings when given. Without Content the settings
// alone change.
func (s *Service) UpdateContactFlowModuleContent(ctx context.Context, instanceID, moduleID string, content, settings *string) error {
	if content == nil && settings == nil {
		return Errorf(ErrInvalidRequest, "Pass Content, Settings or both: there is nothing to update.")
	}
	if content != nil {
		if err := validateModule(*content); err != nil {
			return err
		}
	}
	_, err := modify(s, ctx, KindFlowModule, instanceID, moduleID, func(_ Tx, _ string, now time.Time, m *FlowModule) error {
		if content != nil {
			m.Content, m.Status = *content, FlowPublished
		}
		if settings != nil {
			m.Settings = *settings
		}
		m.LastModifiedTime = now
		return nil
	})
	return err
}

// UpdateContactFlowModuleMetadata changes the name, description and/or
// state (ACTIVE or ARCHIVED) given.
func (s *Service) UpdateContactFlowModuleMetadata(ctx context.Context, instanceID, moduleID string, name, description, state *string) error {
	if name == nil && description == nil && state == nil {
		return Errorf(ErrInvalidRequest, "Pass Name, Description or State: there is nothing to update.")
	}
	if state != nil && *state != "ACTIVE" && *state != "ARCHIVED" {
		return Errorf(ErrInvalidParameter, "State %q is not valid; use ACTIVE or ARCHIVED.", clip(*state, 32))
	}
	_, err := modify(s, ctx, KindFlowModule, instanceID, moduleID, func(_ Tx, _ string, now time.Time, m *FlowModule) error {
		if name != nil {
			m.Name = *name
		}
		if description != nil {
			m.Description = *description
		}
		if state != nil {
			m.State = *state
		}
		m.LastModifiedTime = now
		return nil
	})
	return err
}

// DeleteContactFlowModule deletes a module. Flows that invoke it are left
// as they are, as in Connect: their InvokeFlowModule takes its Error
// branch from then on.
func (s *Service) DeleteContactFlowModule(ctx context.Context, instanceID, moduleID string) error {
	// Its versions and aliases go with it.
	return s.remove(ctx, KindFlowModule, instanceID, moduleID, func(tx Tx, iid, id string) error {
		return deleteModuleHistory(tx, iid, id)
	})
}

// flowModuleSearchFields are the FieldName values SearchContactFlowModules
// takes.
var flowModuleSearchFields = map[string]func(*FlowModule) []string{
	"name":        func(m *FlowModule) []string { return []string{m.Name} },
	"description": func(m *FlowModule) []string { return []string{m.Description} },
	"resourceid":  func(m *FlowModule) []string { return []string{m.ID} },
}

// flowModuleEnums are SearchContactFlowModules' StateCondition and
// StatusCondition.
var flowModuleEnums = map[string]func(*FlowModule) string{
	"State":  func(m *FlowModule) string { return m.State },
	"Status": func(m *FlowModule) string { return m.Status },
}

// SearchContactFlowModules finds the modules that match criteria and
// filter, with the total count.
func (s *Service) SearchContactFlowModules(ctx context.Context, instanceID string, criteria *SearchCriteria, filter *TagFilter, page Page) ([]FlowModule, string, int, error) {
	match, err := compileSearch(criteria, flowModuleSearchFields, flowModuleEnums)
	if err != nil {
		return nil, "", 0, err
	}
	return searchIn(s, ctx, KindFlowModule, instanceID, page, func(m *FlowModule) bool {
		return match(m) && filter.matchTags(m.Tags)
	}, func(m *FlowModule) string { return m.ID })
}
