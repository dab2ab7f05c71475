package domain

// Quotas are the per-instance (and per-account) limits Switchboard enforces.
// The defaults are Amazon Connect's default service quotas (see
// shared/spec/connect-semantics.md §7.1); like Connect's, they can be raised,
// here with `switchboard serve --quota NAME=VALUE`.
type Quotas struct {
	Instances           int // per account (Connect: 2 per Region)
	ActiveChats         int // concurrent active chats per instance
	ActiveTasks         int // concurrent active tasks per instance
	ActiveEmails        int // concurrent active emails per instance
	Queues              int
	HoursOfOperations   int
	ContactFlows        int
	FlowModules         int
	QuickConnects       int
	PhoneNumbers        int
	EmailAddresses      int
	TaskTemplates       int
	LinkedTasks         int // tasks per PreviousContactId
	ScheduleHorizonDays int // how far ahead a task may be scheduled
	Reschedules         int // UpdateContactSchedule calls per task
	Users               int
	RoutingProfiles     int
	// RoutingProfileQueues is queue-channel pairs per routing profile (the
	// manual-assignment pairs have a separate quota of the same size).
	RoutingProfileQueues int
	AgentStatuses        int
	SecurityProfiles     int
	LambdaFunctions      int
	LexBots              int
	ApprovedOrigins      int
	HierarchyGroups      int
	Prompts              int
	Vocabularies         int
	PredefinedAttributes int
	Proficiencies        int // per user
	Views                int
	ViewVersions         int // per view
	Rules                int
	EvaluationForms      int
	DataTables           int
	DataTableAttributes  int // per table
	DataTableRecords     int // per table
	Workspaces           int
}

// DefaultQuotas are Amazon Connect's default quotas.
var DefaultQuotas = Quotas{
	Instances:            2,
	ActiveChats:          500,
	ActiveTasks:          2500,
	ActiveEmails:         1000,
	Queues:               100,
	HoursOfOperations:    100,
	ContactFlows:         100,
	FlowModules:          200,
	QuickConnects:        100,
	PhoneNumbers:         5,
	EmailAddresses:       100,
	TaskTemplates:        50,
	LinkedTasks:          12,
	ScheduleHorizonDays:  6,
	Reschedules:          20,
	Users:                500,
	RoutingProfiles:      500,
	RoutingProfileQueues: 50,
	AgentStatuses:        50,
	SecurityProfiles:     100,
	LambdaFunctions:      50,
	LexBots:              50,
	ApprovedOrigins:      100,
	HierarchyGroups:      500,
	Prompts:              500,
	Vocabularies:         100,
	PredefinedAttributes: 150,
	Proficiencies:        10,
	Views:                500,
	ViewVersions:         100,
	Rules:                500,
	EvaluationForms:      100,
	DataTables:           100,
	DataTableAttributes:  100,
	// Connect publishes no figure; Switchboard keeps a table's records in
	// one document, which this bounds.
	DataTableRecords: 10000,
	// Connect publishes no figure for workspaces; this one is Switchboard's.
	Workspaces: 100,
}

// withDefaults fills every zero field from DefaultQuotas.
func (q Quotas) withDefaults() Quotas {
	d := DefaultQuotas
	fill := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&q.Instances, d.Instances)
	fill(&q.ActiveChats, d.ActiveChats)
	fill(&q.ActiveTasks, d.ActiveTasks)
	fill(&q.ActiveEmails, d.ActiveEmails)
	fill(&q.Queues, d.Queues)
	fill(&q.HoursOfOperations, d.HoursOfOperations)
	fill(&q.ContactFlows, d.ContactFlows)
	fill(&q.FlowModules, d.FlowModules)
	fill(&q.QuickConnects, d.QuickConnects)
	fill(&q.PhoneNumbers, d.PhoneNumbers)
	fill(&q.EmailAddresses, d.EmailAddresses)
	fill(&q.TaskTemplates, d.TaskTemplates)
	fill(&q.LinkedTasks, d.LinkedTasks)
	fill(&q.ScheduleHorizonDays, d.ScheduleHorizonDays)
	fill(&q.Reschedules, d.Reschedules)
	fill(&q.Users, d.Users)
	fill(&q.RoutingProfiles, d.RoutingProfiles)
	fill(&q.RoutingProfileQueues, d.RoutingProfileQueues)
	fill(&q.AgentStatuses, d.AgentStatuses)
	fill(&q.SecurityProfiles, d.SecurityProfiles)
	fill(&q.LambdaFunctions, d.LambdaFunctions)
	fill(&q.LexBots, d.LexBots)
	fill(&q.ApprovedOrigins, d.ApprovedOrigins)
	fill(&q.HierarchyGroups, d.HierarchyGroups)
	fill(&q.Prompts, d.Prompts)
	fill(&q.Vocabularies, d.Vocabularies)
	fill(&q.PredefinedAttributes, d.PredefinedAttributes)
	fill(&q.Proficiencies, d.Proficiencies)
	fill(&q.Views, d.Views)
	fill(&q.ViewVersions, d.ViewVersions)
	fill(&q.Rules, d.Rules)
	fill(&q.EvaluationForms, d.EvaluationForms)
	fill(&q.DataTables, d.DataTables)
	fill(&q.DataTableAttributes, d.DataTableAttributes)
	fill(&q.DataTableRecords, d.DataTableRecords)
	fill(&q.Workspaces, d.Workspaces)
	return q
}

// QuotaNames maps the names accepted by --quota to fields, for the CLI.
func (q *Quotas) QuotaNames() map[string]*int {
	return map[string]*int{
		"instances":              &q.Instances,
		"active-chats":           &q.ActiveChats,
		"active-tasks":           &q.ActiveTasks,
		"active-emails":          &q.ActiveEmails,
		"queues":                 &q.Queues,
		"hours-of-operations":    &q.HoursOfOperations,
		"contact-flows":          &q.ContactFlows,
		"flow-modules":           &q.FlowModules,
		"quick-connects":         &q.QuickConnects,
		"phone-numbers":          &q.PhoneNumbers,
		"email-addresses":        &q.EmailAddresses,
		"task-templates":         &q.TaskTemplates,
		"linked-tasks":           &q.LinkedTasks,
		"schedule-horizon-days":  &q.ScheduleHorizonDays,
		"reschedules":            &q.Reschedules,
		"users":                  &q.Users,
		"routing-profiles":       &q.RoutingProfiles,
		"routing-profile-queues": &q.RoutingProfileQueues,
		"agent-statuses":         &q.AgentStatuses,
		"security-profiles":      &q.SecurityProfiles,
		"lambda-functions":       &q.LambdaFunctions,
		"lex-bots":               &q.LexBots,
		"approved-origins":       &q.ApprovedOrigins,
		"hierarchy-groups":       &q.HierarchyGroups,
		"prompts":                &q.Prompts,
		"vocabularies":           &q.Vocabularies,
		"predefined-attributes":  &q.PredefinedAttributes,
		"proficiencies":          &q.Proficiencies,
		"views":                  &q.Views,
		"view-versions":          &q.ViewVersions,
		"rules":                  &q.Rules,
		"evaluation-forms":       &q.EvaluationForms,
		"data-tables":            &q.DataTables,
		"data-table-attributes":  &q.DataTableAttributes,
		"data-table-records":     &q.DataTableRecords,
		"workspaces":             &q.Workspaces,
	}
}
