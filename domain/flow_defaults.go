package domain

import "fmt"

// defaultFlowContent returns the content of the flow of the given type that
// a new instance gets. The inbound flow sends the contact to BasicQueue, as
// Connect's sample inbound flow does; the others end without doing anything,
// which is what an empty flow of those types does in Connect.
func defaultFlowContent(flowType, basicQueueARN string) string {
	if flowType == "CONTACT_FLOW" {
		return fmt.Sprintf(`{"Version":"2019-10-30","StartAction":"set-queue","Metadata":{},"Actions":[`+
			`{"Identifier":"set-queue","Type":"UpdateContactTargetQueue","Parameters":{"QueueId":%q},"Transitions":{"NextAction":"transfer","Errors":[{"NextAction":"disconnect","ErrorType":"NoMatchingError"}]}},`+
			`{"Identifier":"transfer","Type":"TransferContactToQueue","Parameters":{},"Transitions":{"NextAction":"disconnect","Errors":[{"NextAction":"disconnect","ErrorType":"QueueAtCapacity"},{"NextAction":"disconnect","ErrorType":"NoMatchingError"}]}},`+
			`{"Identifier":"disconnect","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`, basicQueueARN)
	}
	return `{"Version":"2019-10-30","StartAction":"end","Metadata":{},"Actions":[{"Identifier":"end","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}`
}
