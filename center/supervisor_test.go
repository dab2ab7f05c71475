package center_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/switchboard-cc/switchboard/internal/sbtest"
)

// TestSupervisorJoinsChat: a user joins a chat in progress through the
// agent API and gets a participant token; tasks cannot be joined.
func TestSupervisorJoinsChat(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.user("sam")
	token := w.login("sam")
	chat, err := w.Client.StartChatContact(sbtest.Ctx(t), &connect.StartChatContactInput{InstanceId: &w.iid, ContactFlowId: &w.flow,
		ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ada")}})
	must(t, err)
	status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+*chat.ContactId+"/join", token, nil)
	if status != 200 || out["participantToken"] == "" || out["participantToken"] == nil || out["participantId"] == *chat.ParticipantId {
		t.Fatalf("join chat: %d %v", status, out)
	}
	task := w.task("not a chat")
	if status, out := w.agentAPI("POST", "/agent/v1/instances/"+w.iid+"/contacts/"+task+"/join", token, nil); status != 409 {
		t.Fatalf("join task: %d %v, want 409", status, out)
	}
}
