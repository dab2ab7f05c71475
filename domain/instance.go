package domain

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
)

// Instance is an Amazon Connect instance.
type Instance struct {
	ID, Arn                string
	IdentityManagementType string // SAML | CONNECT_MANAGED | EXISTING_DIRECTORY
	Alias                  string
	DirectoryID            string
	CreatedTime            time.Time
	Status                 string // ACTIVE
	InboundCallsEnabled    bool
	OutboundCallsEnabled   bool
	// Attributes holds the instance attributes set with
	// UpdateInstanceAttribute, other than the two above (see
	// instance_attributes.go).
	Attributes map[string]string `json:",omitempty"`
	// The instance's integrations (integrations.go).
	LambdaFunctions []string            `json:",omitempty"`
	ApprovedOrigins []string            `json:",omitempty"`
	LexBots         []LexBotAssociation `json:",omitempty"`
	// Where Connect would store its data, and its chat keys
	// (storage_config.go).
	StorageConfigs []StorageConfig `json:",omitempty"`
	SecurityKeys   []SecurityKey   `json:",omitempty"`
	// DefaultVocabularies are the default vocabulary of each language
	// (vocabulary.go).
	DefaultVocabularies map[string]string `json:",omitempty"`
	Tags                map[string]string
}

// ServiceRole is the ARN Connect reports as the instance's service-linked role.
func (s *Service) ServiceRole() string {
	return fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect", s.cfg.AccountID)
}

// AccessURL is the instance's access URL as Connect builds it from the alias.
func (i *Instance) AccessURL() string {
	if i.Alias == "" {
		return ""
	}
	return "https://" + i.Alias + ".my.connect.aws"
}

// CreateInstanceParams are the inputs of CreateInstance.
type CreateInstanceParams struct {
	ClientToken            string
	IdentityManagementType string
	Alias                  string
	DirectoryID            string
	InboundCallsEnabled    bool
	OutboundCallsEnabled   bool
	Tags                   map[string]string
}

// aliasPattern: Connect aliases are used in a host name; the console
// enforces lower-case letters, digits and inner hyphens.
var aliasPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,60}[a-z0-9])?$`)

// CreateInstance creates an instance and provisions what Connect provisions
// with it: "Basic Hours", "BasicQueue", "Basic Routing Profile", the default
// flows, the Available and Offline agent statuses and the Admin and Agent
// security profiles. The instance is ACTIVE when the call returns (Connect
// takes a few minutes; nobody needs to wait for that here).
func (s *Service) CreateInstance(ctx context.Context, p CreateInstanceParams) (*Instance, error) {
	switch p.IdentityManagementType {
	case "CONNECT_MANAGED", "SAML":
		if p.DirectoryID != "" {
			return nil, Errorf(ErrInvalidRequest, "DirectoryId is only valid with IdentityManagementType EXISTING_DIRECTORY; remove it or change the type.")
		}
		if p.Alias == "" {
			return nil, Errorf(ErrInvalidRequest, "InstanceAlias is required when IdentityManagementType is %s.", p.IdentityManagementType)
		}
	case "EXISTING_DIRECTORY":
		if p.DirectoryID == "" {
			return nil, Errorf(ErrInvalidRequest, "DirectoryId is required when IdentityManagementType is EXISTING_DIRECTORY.")
		}
	}
	if p.Alias != "" && !aliasPattern.MatchString(p.Alias) {
		return nil, Errorf(ErrInvalidRequest, "InstanceAlias %q is not valid: use 1 to 62 lower-case letters, digits and hyphens, starting and ending with a letter or digit.", clip(p.Alias, 64))
	}
	var inst *Instance
	tok := newClientToken("CreateInstance", p.ClientToken, p)
	err := s.update(ctx, func(tx Tx) error {
		now := s.now()
		id := s.newID()
		var err error
		if inst, err = claimOrReplay[Instance](s, tx, KindInstance, "", tok, id, now); err != nil || inst != nil {
			return err
		}
		n, err := tx.CountRecords(KindInstance, "")
		if err != nil {
			return err
		}
		if n >= s.quotas.Instances {
			return Errorf(ErrQuotaExceeded, "The account already has %d instances, the quota of instances per Region; delete one, or start the server with --quota instances=N.", n)
		}
		inst = &Instance{
			ID: id, Arn: s.instanceARN(id), IdentityManagementType: p.IdentityManagementType,
			Alias: p.Alias, DirectoryID: p.DirectoryID, CreatedTime: now, Status: "ACTIVE",
			InboundCallsEnabled: p.InboundCallsEnabled, OutboundCallsEnabled: p.OutboundCallsEnabled, Tags: p.Tags,
		}
		if err := putDoc(tx, KindInstance, "", id, p.Alias, now, now, inst); err != nil {
			if errors.Is(err, ErrStoreDuplicate) {
				return Errorf(ErrInvalidRequest, "The instance alias %q is already in use; choose another alias.", p.Alias)
			}
			return err
		}
		return s.provisionDefaults(tx, inst, now)
	})
	if err != nil {
		return nil, err
	}
	return inst, nil
}

// Names of the resources every new instance gets, as Connect names them.
const (
	DefaultHoursName          = "Basic Hours"
	DefaultQueueName          = "BasicQueue"
	DefaultRoutingProfileName = "Basic Routing Profile"
	DefaultInboundFlowName    = "Default inbound flow"
)

// defaultFlows are the flows provisioned with an instance, one per type.
var defaultFlows = []struct{ Type, Name string }{
	{"CONTACT_FLOW", DefaultInboundFlowName},
	{"CUSTOMER_QUEUE", "Default customer queue"},
	{"CUSTOMER_HOLD", "Default customer hold"},
	{"CUSTOMER_WHISPER", "Default customer whisper"},
	{"AGENT_HOLD", "Default agent hold"},
	{"AGENT_WHISPER", "Default agent whisper"},
	{"OUTBOUND_WHISPER", "Default outbound"},
	{"AGENT_TRANSFER", "Default agent transfer"},
	{"QUEUE_TRANSFER", "Default queue transfer"},
}

func (s *Service) provisionDefaults(tx Tx, inst *Instance, now time.Time) error {
	iid := inst.ID
	put := func(kind Kind, id, name string, v any) error {
		return putDoc(tx, kind, iid, id, name, now, now, v)
	}
	days := []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}
	hours := &HoursOfOperation{ID: s.newID(), InstanceID: iid, Name: DefaultHoursName, Description: "Basic Hours", TimeZone: "UTC", LastModifiedTime: now}
	hours.Arn = s.resourceARN(iid, "operating-hours", hours.ID)
	for _, d := range days {
		// 00:00 to 00:00 is Connect's way of saying open all day.
		hours.Config = append(hours.Config, HoursConfig{Day: d})
	}
	if err := put(KindHoursOfOperation, hours.ID, hours.Name, hours); err != nil {
		return err
	}
	queue := &Queue{ID: s.newID(), InstanceID: iid, Name: DefaultQueueName, Description: "Basic queue", HoursOfOperationID: hours.ID, Status: "ENABLED", QueueType: "STANDARD", LastModifiedTime: now}
	queue.Arn = s.resourceARN(iid, "queue", queue.ID)
	for _, f := range defaultFlows {
		fl := &ContactFlow{ID: s.newID(), InstanceID: iid, Name: f.Name, Type: f.Type, State: "ACTIVE", Status: "PUBLISHED",
			Description: "Provisioned with the instance", Content: flow.DefaultContent(f.Type, queue.Arn), Version: 1, LastModifiedTime: now}
		fl.Arn = s.resourceARN(iid, "contact-flow", fl.ID)
		if err := put(KindContactFlow, fl.ID, fl.Name, fl); err != nil {
			return err
		}
		if f.Type == "OUTBOUND_WHISPER" {
			queue.OutboundFlowID = fl.ID
		}
	}
	if err := put(KindQueue, queue.ID, queue.Name, queue); err != nil {
		return err
	}
	rp := &RoutingProfile{ID: s.newID(), InstanceID: iid, Name: DefaultRoutingProfileName, Description: "Basic routing profile",
		DefaultOutboundQueueID: queue.ID, AgentAvailabilityTimer: "TIME_SINCE_LAST_ACTIVITY", IsDefault: true, LastModifiedTime: now,
		MediaConcurrencies: []MediaConcurrency{
			{Channel: "VOICE", Concurrency: 1, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"},
			{Channel: "CHAT", Concurrency: 2, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"},
			{Channel: "TASK", Concurrency: 1, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"},
			{Channel: "EMAIL", Concurrency: 1, CrossChannelBehavior: "ROUTE_CURRENT_CHANNEL_ONLY"},
		}}
	rp.Arn = s.resourceARN(iid, "routing-profile", rp.ID)
	for _, ch := range []string{"VOICE", "CHAT", "TASK", "EMAIL"} {
		rp.QueueConfigs = append(rp.QueueConfigs, RoutingProfileQueueConfig{QueueID: queue.ID, Channel: ch, Priority: 1})
	}
	if err := put(KindRoutingProfile, rp.ID, rp.Name, rp); err != nil {
		return err
	}
	for i, st := range []struct{ Name, Type string }{{"Available", "ROUTABLE"}, {"Offline", "OFFLINE"}} {
		as := &AgentStatus{ID: s.newID(), InstanceID: iid, Name: st.Name, Type: st.Type, State: "ENABLED", DisplayOrder: i + 1, LastModifiedTime: now}
		as.Arn = s.resourceARN(iid, "agent-state", as.ID)
		if err := put(KindAgentStatus, as.ID, as.Name, as); err != nil {
			return err
		}
	}
	for _, sp := range []struct{ Name, Desc string }{
		{"Admin", "Full access to every feature of the instance"},
		{"Agent", "Access to the agent workspace"},
		{"CallCenterManager", "Manage users, routing and metrics"},
		{"QualityAnalyst", "Review contacts and metrics"},
	} {
		p := &SecurityProfile{ID: s.newID(), InstanceID: iid, Name: sp.Name, Description: sp.Desc, LastModifiedTime: now}
		p.Arn = s.resourceARN(iid, "security-profile", p.ID)
		if err := put(KindSecurityProfile, p.ID, p.Name, p); err != nil {
			return err
		}
	}
	return nil
}

// DescribeInstance returns an instance.
func (s *Service) DescribeInstance(ctx context.Context, instanceID string) (*Instance, error) {
	var inst *Instance
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		inst, err = s.getInstance(tx, instanceID)
		return err
	})
	return inst, err
}

// getInstance loads an instance by ID or ARN.
func (s *Service) getInstance(tx ReadTx, instanceID string) (*Instance, error) {
	id := instanceIDFrom(instanceID)
	inst, err := getDoc[Instance](tx, KindInstance, "", id)
	if errors.Is(err, ErrStoreNotFound) {
		return nil, Errorf(ErrNotFound, "Instance not found: %s. Check the instance ID (ListInstances shows the instances of this server).", clip(instanceID, 100))
	}
	return inst, err
}

// instanceID resolves an instance ID or ARN to the ID of an existing
// instance without reading the instance (the hot paths only need to know it
// exists).
func (s *Service) instanceID(tx ReadTx, instanceID string) (string, error) {
	id := instanceIDFrom(instanceID)
	ok, err := tx.HasRecord(KindInstance, "", id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", Errorf(ErrNotFound, "Instance not found: %s. Check the instance ID (ListInstances shows the instances of this server).", clip(instanceID, 100))
	}
	return id, nil
}

// ListInstances pages through the account's instances.
func (s *Service) ListInstances(ctx context.Context, page Page) ([]Instance, string, error) {
	page.Default = 10
	var out []Instance
	var next string
	err := s.view(ctx, func(tx ReadTx) error {
		var err error
		out, next, err = listDocs[Instance](tx, KindInstance, "", page)
		return err
	})
	return out, next, err
}

// DeleteInstance deletes an instance with everything in it.
func (s *Service) DeleteInstance(ctx context.Context, instanceID string) error {
	return s.update(ctx, func(tx Tx) error {
		inst, err := s.getInstance(tx, instanceID)
		if err != nil {
			return err
		}
		return tx.DeleteInstance(inst.ID)
	})
}
