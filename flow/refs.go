package flow

import (
	"strconv"
	"strings"
)

// ResourceKind names the kind of Connect resource a parameter refers to.
type ResourceKind string

// Resource kinds that flow parameters refer to.
const (
	KindQueue            ResourceKind = "queue"
	KindUser             ResourceKind = "user"
	KindContactFlow      ResourceKind = "contact-flow"
	KindHoursOfOperation ResourceKind = "hours-of-operation"
	KindPrompt           ResourceKind = "prompt"
	KindTaskTemplate     ResourceKind = "task-template"
)

// Reference is a resource a flow names literally, which the service can
// check exists before it publishes the flow.
type Reference struct {
	Action    string       // Identifier of the action
	Parameter string       // e.g. "QueueId", "EventHooks.CustomerQueue", "Messages[0].PromptId"
	Kind      ResourceKind //
	Value     string       // as written: an id or an ARN
}

// ID returns the resource id: the last path segment of an ARN such as
// arn:aws:connect:…:instance/<instance>/queue/<id>, or Value itself.
func (r Reference) ID() string { return ResourceID(r.Value) }

// ResourceID turns an id or a Connect ARN into the bare id, because
// parameters accept either.
func ResourceID(idOrARN string) string {
	if !strings.HasPrefix(idOrARN, "arn:") {
		return idOrARN
	}
	return idOrARN[strings.LastIndexByte(idOrARN, '/')+1:]
}

// refParams says which parameters of which action types name a resource.
var refParams = map[string][]struct {
	param string
	kind  ResourceKind
}{
	"UpdateContactTargetQueue":         {{"QueueId", KindQueue}, {"AgentId", KindUser}},
	"DequeueContactAndTransferToQueue": {{"QueueId", KindQueue}, {"AgentId", KindUser}},
	"TransferContactToQueue":           {{"QueueId", KindQueue}},
	"CheckMetricData":                  {{"QueueId", KindQueue}, {"AgentId", KindUser}},
	"GetMetricData":                    {{"QueueId", KindQueue}, {"AgentId", KindUser}},
	"CheckHoursOfOperation":            {{"HoursOfOperationId", KindHoursOfOperation}},
	"TransferToFlow":                   {{"ContactFlowId", KindContactFlow}},
	"CreateTask":                       {{"ContactFlowId", KindContactFlow}, {"TaskTemplateId", KindTaskTemplate}},
	"MessageParticipant":               {{"PromptId", KindPrompt}},
	"GetParticipantInput":              {{"PromptId", KindPrompt}},
	"ConnectParticipantWithLexBot":     {{"PromptId", KindPrompt}},
}

// References lists the resources the flow's actions name literally, in
// action order. Values that are references to contact data ($.…) are
// resolved only at run time and are left out.
func (f *Flow) References() []Reference {
	var out []Reference
	add := func(a *Action, param string, kind ResourceKind, v any) {
		s, ok := scalar(v)
		if ok && s != "" && !mentionsReference(s) {
			out = append(out, Reference{Action: a.Identifier, Parameter: param, Kind: kind, Value: s})
		}
	}
	for i := range f.Actions {
		a := &f.Actions[i]
		for _, rp := range refParams[a.Type] {
			if v, ok := a.Parameters[rp.param]; ok {
				add(a, rp.param, rp.kind, v)
			}
		}
		switch a.Type {
		case "UpdateContactEventHooks":
			hooks, _ := a.Parameters["EventHooks"].(map[string]any)
			for _, k := range sortedKeys(hooks) {
				add(a, "EventHooks."+k, KindContactFlow, hooks[k])
			}
		case "MessageParticipantIteratively":
			msgs, _ := a.Parameters["Messages"].([]any)
			for j, m := range msgs {
				if m, ok := m.(map[string]any); ok {
					if v, ok := m["PromptId"]; ok {
						add(a, "Messages["+strconv.Itoa(j)+"].PromptId", KindPrompt, v)
					}
				}
			}
		}
	}
	return out
}
