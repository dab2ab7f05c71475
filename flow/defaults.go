package flow

import "encoding/json"

// DefaultContent returns the content of the flow of the given type that
// Connect provisions with a new instance ("Default customer queue",
// "Default agent whisper", ...), rewritten for chat, task and email: prompts
// are text, as there is no audio to play. queue is the id or ARN of the
// queue the inbound flow sends contacts to (BasicQueue in Connect); it is
// used only for CONTACT_FLOW and CAMPAIGN, and when it is "" the inbound
// flow transfers without setting a queue, which takes its error branch and
// disconnects. DefaultContent returns "" for an unknown flow type. Every
// result passes Validate for its type.
func DefaultContent(flowType, queue string) string {
	var f Flow
	switch flowType {
	case "CONTACT_FLOW", "CAMPAIGN":
		// Connect's sample inbound flow: set the working queue, transfer.
		next := "set-queue"
		if queue == "" {
			next = "transfer"
		}
		actions := []Action{say("greet", "Thank you for contacting us. Please wait while we connect you.", next)}
		if queue != "" {
			actions = append(actions, step("set-queue", "UpdateContactTargetQueue", map[string]any{"QueueId": queue}, "transfer",
				onError(ErrNoMatchingError, "disconnect")))
		}
		f = document(append(actions,
			step("transfer", "TransferContactToQueue", nil, "disconnect",
				onError("QueueAtCapacity", "at-capacity"), onError(ErrNoMatchingError, "failed")),
			say("at-capacity", "We are busy at the moment. Please try again later.", "disconnect"),
			say("failed", "We could not route your contact. Please try again later.", "disconnect"),
			step("disconnect", "DisconnectParticipant", nil, ""),
		)...)
	case "CUSTOMER_QUEUE":
		// Loop prompts play until an agent answers; in chat the action
		// fails at once and the contact simply waits in queue.
		f = document(
			loopPrompt("queue-prompt", "Thank you for waiting. Your contact will be answered in the order it was received."),
			step("end", "EndFlowExecution", nil, ""),
		)
	case "CUSTOMER_HOLD", "AGENT_HOLD":
		f = document(
			loopPrompt("hold-prompt", "You are on hold. Please wait."),
			step("end", "EndFlowExecution", nil, ""),
		)
	case "AGENT_WHISPER":
		// Tell the agent which queue the contact comes from.
		f = document(
			say("whisper", "$.Queue.Name", "end"),
			step("end", "EndFlowExecution", nil, ""),
		)
	case "CUSTOMER_WHISPER", "OUTBOUND_WHISPER":
		f = document(step("end", "EndFlowExecution", nil, ""))
	case "AGENT_TRANSFER":
		f = transferFlow("TransferContactToAgent")
	case "QUEUE_TRANSFER":
		// The queue comes from the quick connect that started this flow.
		f = transferFlow("TransferContactToQueue")
	default:
		return ""
	}
	b, err := json.Marshal(&f)
	if err != nil {
		panic("flow: default content does not marshal: " + err.Error()) // only maps of strings: cannot happen
	}
	return string(b)
}

func transferFlow(transferType string) Flow {
	return document(
		say("announce", "Now transferring.", "transfer"),
		step("transfer", transferType, nil, "disconnect",
			onError(ErrNoMatchingError, "failed")),
		say("failed", "The transfer failed. Please try again later.", "disconnect"),
		step("disconnect", "DisconnectParticipant", nil, ""),
	)
}

// document makes a flow that starts at its first action.
func document(actions ...Action) Flow {
	return Flow{Version: Version, StartAction: actions[0].Identifier, Actions: actions, Metadata: json.RawMessage(`{}`)}
}

func step(id, actionType string, params map[string]any, next string, errs ...ErrorTransition) Action {
	if params == nil {
		params = map[string]any{}
	}
	return Action{Identifier: id, Type: actionType, Parameters: params,
		Transitions: Transitions{NextAction: next, Errors: errs}}
}

func say(id, text, next string) Action {
	return step(id, "MessageParticipant", map[string]any{"Text": text}, next,
		onError(ErrNoMatchingError, next))
}

func loopPrompt(id, text string) Action {
	return step(id, "MessageParticipantIteratively",
		map[string]any{"Messages": []any{map[string]any{"Text": text}}}, "end",
		onError(ErrNoMatchingError, "end"))
}

func onError(errorType, next string) ErrorTransition {
	return ErrorTransition{NextAction: next, ErrorType: errorType}
}
