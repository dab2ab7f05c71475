// The end-to-end chat, customer side and orchestration. With an instance
// and an agent process (setup.mjs) it starts a chat with StartChatContact, and
// talks to the agent as a customer through amazon-connect-chatjs. It
// prints one JSON object with what both sides saw; chatjs_test.go checks
// it.
import { DescribeContactCommand, StartChatContactCommand } from "@aws-sdk/client-connect";
import { configure, open, transcript } from "./chatjs.mjs";
import { aws, desk, url } from "./setup.mjs";

const { iid, defaultFlow: flow, agentLine } = await desk("converse");

const chat = await aws.send(new StartChatContactCommand({
  InstanceId: iid, ContactFlowId: flow, ParticipantDetails: { DisplayName: "Jane" },
}));
configure(url);
const customer = await open({ contactId: chat.ContactId, participantId: chat.ParticipantId, participantToken: chat.ParticipantToken });
await customer.session.sendMessage({ contentType: "text/plain", message: "Hello, my order is late" });
// The agent may join before this socket subscribed (the offer is
// accepted as soon as it comes), so their participant.joined is checked
// in the transcript; their reply comes live.
const reply = await customer.until("the agent's reply", (e) => e.role === "AGENT" && e.type === "MESSAGE");
await customer.session.sendMessage({ contentType: "text/plain", message: "Thanks, bye" });
await customer.until("the goodbye echoed", (e) => e.content === "Thanks, bye");
const customerTranscript = await transcript(customer.session);
await customer.session.disconnectParticipant();
const agentResult = await agentLine(1);
const contact = await aws.send(new DescribeContactCommand({ InstanceId: iid, ContactId: chat.ContactId }));

console.log(JSON.stringify({
  contactId: chat.ContactId, joined: reply.name, reply: reply.content, customerTranscript,
  disconnectReason: contact.Contact.DisconnectReason, agent: agentResult,
}));
process.exit(0);
