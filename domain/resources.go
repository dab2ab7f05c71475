package domain

import "time"

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
	Tags                map[string]string
	LastModifiedTime    time.Time
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
	Tags                   map[string]string
	LastModifiedTime       time.Time
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
	Tags                map[string]string
	LastModifiedTime    time.Time
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
