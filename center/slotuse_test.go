package center

import (
	"testing"

	"github.com/switchboard-cc/switchboard/routing"
)

// An agent holding two channels that each block the others (an outbound or
// transferred contact can bring that about) has room on neither, whatever
// order its contacts are walked in.
func TestSlotUseTwoExclusiveChannels(t *testing.T) {
	var u slotUse
	u.held[routing.Chat], u.held[routing.Task] = 1, 1
	u.exclusive = 1<<routing.Chat | 1<<routing.Task
	for _, k := range []slotKind{{slots: 3, channel: routing.Chat}, {slots: 3, channel: routing.Task}, {slots: 1, channel: routing.Voice}} {
		if got := u.free(k); got != 0 {
			t.Errorf("free(%v) = %d, want 0", k.channel, got)
		}
	}
	u.exclusive = 1 << routing.Chat
	if got := u.free(slotKind{slots: 3, channel: routing.Chat}); got != 2 {
		t.Errorf("one exclusive channel: free(CHAT) = %d, want 2", got)
	}
	if got := u.free(slotKind{slots: 3, channel: routing.Task}); got != 0 {
		t.Errorf("one exclusive channel: free(TASK) = %d, want 0", got)
	}
}
