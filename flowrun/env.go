package flowrun

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard-cc/switchboard/flow"
	"github.com/switchboard-cc/switchboard/hours"
)

// Env is everything the interpreter reads from or changes in the world. The
// runtime implements it once per contact (or once per run); the interpreter
// never touches a store, a queue or the network itself, so that it can be
// tested with a fake and so that the runtime decides how each effect is made
// durable.
//
// Any method returning an error makes the action take its error branch
// (NoMatchingError unless the method documents a more specific one); the
// error text goes into the flow log.
//
// Embed UnimplementedEnv in an implementation to get ErrUnsupported for the
// methods it does not care about; adding methods to Env later then does not
// break it.
type Env interface {
	// ContactData returns the contact as $.… references see it. It is read
	// once at the start of Run and of Resume; the interpreter then keeps its
	// copy current with its own writes, so the runtime need not re-read.
	ContactData(ctx context.Context) (ContactData, error)

	// LoadFlow returns a published flow by id or ARN, for Run, Resume and
	// TransferToFlow. An error (unknown or unpublished flow) takes
	// TransferToFlow's error branch. LoadedFlow.ID must be the canonical id:
	// it is what State keeps.
	LoadFlow(ctx context.Context, idOrARN string) (LoadedFlow, error)

	// LoadFlowModule returns an active flow module by id or ARN, for
	// InvokeFlowModule and for resuming inside a module. An error takes
	// InvokeFlowModule's error branch. LoadedFlow.ID must be the canonical
	// id.
	LoadFlowModule(ctx context.Context, idOrARN string) (LoadedFlow, error)

	// SetAttributes merges attrs into the user-defined attributes of the
	// current contact (target "Current") or of the related contact
	// ("Related"), all or nothing. An empty value removes the key. The
	// runtime enforces the 32 KB limit by returning an error.
	SetAttributes(ctx context.Context, target string, attrs map[string]string) error

	// UpdateContactData writes the contact fields that UpdateContactData and
	// UpdateContactTextToSpeechVoice set, all or nothing.
	UpdateContactData(ctx context.Context, u ContactUpdate) error

	// SetTargetQueue sets the working queue, resolving a queue id or ARN or
	// an agent id or ARN (the agent's personal queue). An unknown queue or
	// agent is an error. It returns the queue as $.Queue shows it.
	SetTargetQueue(ctx context.Context, t QueueTarget) (QueueInfo, error)

	// TransferToQueue places the contact in a queue: the one named by
	// queueIDOrARN when it is not "", else the working queue. The runtime
	// enqueues the contact (with the routing behaviour and criteria set so
	// far) and starts the customer queue flow once Run has returned. A full
	// queue is TransferAtCapacity with a nil error; any error is
	// NoMatchingError.
	TransferToQueue(ctx context.Context, queueIDOrARN string) (TransferOutcome, error)

	// SendMessage shows a message to the customer (a SYSTEM message in a
	// chat transcript). It is not called for TASK and EMAIL contacts, which
	// have no participant to show it to.
	SendMessage(ctx context.Context, m Message) error

	// UpdateRouting changes the contact's routing priority, age adjustment
	// or routing criteria; nil fields are left as they are.
	UpdateRouting(ctx context.Context, u RoutingUpdate) error

	// SetEventHook points an event hook (CustomerQueue, CustomerWhisper, …)
	// at a flow id or ARN.
	SetEventHook(ctx context.Context, hook, flowIDOrARN string) error

	// HoursOfOperation returns the hours named by hoursIDOrARN or, when that
	// is "", the hours of the queue queueID (the working queue). Unknown
	// hours or a queue without hours (an agent queue) is an error.
	HoursOfOperation(ctx context.Context, hoursIDOrARN, queueID string) (Hours, error)

	// QueueMetrics returns current metrics for a queue, or for an agent's
	// personal queue and the agent's own status when AgentID is set.
	QueueMetrics(ctx context.Context, q MetricsQuery) (QueueMetrics, error)

	// CreateTask starts a task contact, as StartTaskContact does, linked to
	// the current contact. It returns the new contact's id.
	CreateTask(ctx context.Context, t TaskRequest) (contactID string, err error)

	// Disconnect ends the customer's participation (chat: the customer
	// leaves and the chat ends; task/email: the contact ends).
	Disconnect(ctx context.Context) error

	// InvokeLambda calls a function and returns its response as $.External
	// will show it. The runtime maps the function ARN to an endpoint and
	// must give up after r.Timeout; HTTPInvoker does all of that over HTTP.
	InvokeLambda(ctx context.Context, r LambdaRequest) (map[string]any, error)

	// SetFlowLogging records that flow logging was switched on or off, so
	// that later segments and later flows of the contact inherit it
	// (ContactData.FlowLogging).
	SetFlowLogging(ctx context.Context, enabled bool) error

	// Intn returns a uniformly random integer in [0, n). It is the only
	// source of randomness (DistributeByPercentage), so tests are exact.
	Intn(n int) int

	// Log receives flow-log entries: one per executed action while logging
	// is on, and engine errors (unknown action, step budget exceeded, a flow
	// that cannot be loaded) always, marked Level "ERROR".
	Log(e LogEntry)
}

// ErrUnsupported is what UnimplementedEnv returns.
var ErrUnsupported = errors.New("flowrun: not supported by this runtime")

// UnimplementedEnv implements every Env method by failing (or doing
// nothing, for Log and SetFlowLogging). Embed it and override what the
// runtime supports.
type UnimplementedEnv struct{}

func (UnimplementedEnv) ContactData(context.Context) (ContactData, error) {
	return ContactData{}, ErrUnsupported
}
func (UnimplementedEnv) LoadFlow(context.Context, string) (LoadedFlow, error) {
	return LoadedFlow{}, ErrUnsupported
}
func (UnimplementedEnv) LoadFlowModule(context.Context, string) (LoadedFlow, error) {
	return LoadedFlow{}, ErrUnsupported
}
func (UnimplementedEnv) SetAttributes(context.Context, string, map[string]string) error {
	return ErrUnsupported
}
func (UnimplementedEnv) UpdateContactData(context.Context, ContactUpdate) error {
	return ErrUnsupported
}
func (UnimplementedEnv) SetTargetQueue(context.Context, QueueTarget) (QueueInfo, error) {
	return QueueInfo{}, ErrUnsupported
}
func (UnimplementedEnv) TransferToQueue(context.Context, string) (TransferOutcome, error) {
	return 0, ErrUnsupported
}
func (UnimplementedEnv) SendMessage(context.Context, Message) error         { return ErrUnsupported }
func (UnimplementedEnv) UpdateRouting(context.Context, RoutingUpdate) error { return ErrUnsupported }
func (UnimplementedEnv) SetEventHook(context.Context, string, string) error { return ErrUnsupported }
func (UnimplementedEnv) HoursOfOperation(context.Context, string, string) (Hours, error) {
	return Hours{}, ErrUnsupported
}
func (UnimplementedEnv) QueueMetrics(context.Context, MetricsQuery) (QueueMetrics, error) {
	return QueueMetrics{}, ErrUnsupported
}
func (UnimplementedEnv) CreateTask(context.Context, TaskRequest) (string, error) {
	return "", ErrUnsupported
}
func (UnimplementedEnv) Disconnect(context.Context) error { return ErrUnsupported }
func (UnimplementedEnv) InvokeLambda(context.Context, LambdaRequest) (map[string]any, error) {
	return nil, ErrUnsupported
}
func (UnimplementedEnv) SetFlowLogging(context.Context, bool) error { return nil }
func (UnimplementedEnv) Intn(int) int                               { return 0 }
func (UnimplementedEnv) Log(LogEntry)                               {}

// LoadedFlow is a flow as LoadFlow returns it.
type LoadedFlow struct {
	ID   string // canonical id, kept in State
	Name string // for flow logs
	Type string // ContactFlowType, e.g. CONTACT_FLOW, CUSTOMER_QUEUE
	// Flow must come from flow.Parse or flow.Validate (which index it), so
	// that a runtime may share one *flow.Flow between concurrent runs.
	Flow *flow.Flow
}

// ContactData is the contact as references see it. Every field is optional;
// a missing value reads as "".
type ContactData struct {
	ContactID, InitialContactID, PreviousContactID, RelatedContactID string
	Channel                                                          string // VOICE, CHAT, TASK, EMAIL
	InitiationMethod                                                 string
	InstanceARN, AwsRegion                                           string
	Name, Description                                                string
	CustomerID, LanguageCode, TextToSpeechVoiceID                    string
	StoredCustomerInput                                              string

	Attributes map[string]string
	// SegmentAttributes keep their typed shape ({"ValueString": "…"});
	// references unwrap single-valued ones.
	SegmentAttributes map[string]any
	References        map[string]Reference

	CustomerEndpoint, SystemEndpoint *Endpoint
	// Queue is the working queue, nil when none is set.
	Queue *QueueInfo
	// Agent is set only in whisper, hold and transfer-to-agent flows.
	Agent *AgentInfo

	// FlowLogging is whether an earlier flow of the contact turned flow
	// logging on; a run starts with it (UpdateFlowLoggingBehavior).
	FlowLogging bool

	// Extra holds namespaces the interpreter does not model, by their
	// first path element: "Lex", "Customer", "Case", "Wisdom",
	// "MediaStreams", "AdditionalEmailRecipients", … Values are JSON-shaped
	// (maps, slices, strings, numbers) and are walked key by key.
	Extra map[string]any
}

// Endpoint is a customer or system address.
type Endpoint struct {
	Address, Type, DisplayName string
}

// Reference is a task-style reference, $.References.<key>.Value/Type.
type Reference struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// QueueInfo is the working queue as $.Queue shows it.
type QueueInfo struct {
	ID, ARN, Name    string
	OutboundCallerID *Endpoint
}

// AgentInfo is the agent of whisper, hold and transfer flows.
type AgentInfo struct {
	UserName, FirstName, LastName, ARN string
}

// ContactUpdate carries UpdateContactData's fields; nil means unchanged.
type ContactUpdate struct {
	// Target is "Current" or "Related" (TargetContact; default Current).
	Target                                      string
	Name, Description, LanguageCode, CustomerID *string
	TextToSpeechVoice, TextToSpeechEngine       *string
	References                                  map[string]Reference
	// Other holds the remaining scalar parameters, resolved (Voice ID
	// flags, WisdomSessionArn, …), for the runtime to store if it wants.
	Other map[string]string
}

// QueueTarget is UpdateContactTargetQueue's parameter: exactly one is set,
// each as written in the flow (an id or an ARN).
type QueueTarget struct {
	QueueID, AgentID string
}

// TransferOutcome is what TransferToQueue did.
type TransferOutcome int

const (
	// TransferQueued: the contact is in the queue; the inbound flow ends.
	TransferQueued TransferOutcome = iota
	// TransferAtCapacity: the queue is full (QueueAtCapacity branch).
	TransferAtCapacity
)

// Message is what MessageParticipant shows: one of the fields is set.
type Message struct {
	Text, SSML, PromptID, MediaURI string
}

// RoutingUpdate changes routing; nil fields are unchanged.
type RoutingUpdate struct {
	QueuePriority              *int64
	QueueTimeAdjustmentSeconds *int64
	RoutingCriteria            *RoutingCriteria
}

// RoutingCriteria is the flow's RoutingCriteria parameter, parsed and with
// references resolved. The runtime converts it to its own model.
type RoutingCriteria struct {
	Steps []RoutingStep
}

// RoutingStep is one step; ExpirySeconds nil means the step never expires.
type RoutingStep struct {
	Expression    Expression
	ExpirySeconds *int64
}

// Expression is the API's tagged union; normally one member is set, and
// the runtime should AND the members when several are.
type Expression struct {
	AttributeCondition    *AttributeCondition
	NotAttributeCondition *AttributeCondition
	AndExpression         []Expression
	OrExpression          []Expression
}

// AttributeCondition is one proficiency condition.
type AttributeCondition struct {
	Name, Value        string
	ComparisonOperator string // NumberGreaterOrEqualTo, Range, Match
	ProficiencyLevel   *float64
	// MinProficiencyLevel and MaxProficiencyLevel are Range's bounds.
	MinProficiencyLevel, MaxProficiencyLevel *float64
	// AgentIDs are MatchCriteria.AgentsCriteria.AgentIds (preferred agents).
	AgentIDs []string
}

// Hours are hours of operation: weekly intervals in a time zone, with
// their overrides (package hours says when they are open).
type Hours = hours.Schedule

// HoursInterval is one day's open interval (hours.Interval).
type HoursInterval = hours.Interval

// MetricsQuery names the queue (or agent) CheckMetricData and GetMetricData
// ask about, as written in the flow or the working queue's id.
type MetricsQuery struct {
	QueueID, AgentID string
}

// QueueMetrics are the current metrics the flow language can test.
type QueueMetrics struct {
	QueueName, QueueARN                          string
	AgentsOnline, AgentsAvailable, AgentsStaffed int
	AgentsAfterContactWork, AgentsBusy           int
	ContactsInQueue                              int
	OldestContactAge                             time.Duration
}

// TaskRequest is CreateTask's parameters, resolved.
type TaskRequest struct {
	ContactFlowID  string // id or ARN as written
	Name           string
	Description    string
	Attributes     map[string]string
	References     map[string]Reference
	TaskTemplateID string
	// ScheduledTime is zero for "start now"; DelaySeconds is turned into it
	// with the interpreter's clock.
	ScheduledTime time.Time
	// PreviousContactID is the current contact, which the task links to.
	PreviousContactID string
}

// LambdaRequest is one InvokeLambdaFunction call.
type LambdaRequest struct {
	FunctionARN    string
	InvocationType string // SYNCHRONOUS or ASYNCHRONOUS
	// ResponseType is STRING_MAP (flat map of strings) or JSON (nested).
	ResponseType string
	Timeout      time.Duration
	Event        LambdaEvent
}
