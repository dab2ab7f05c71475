// The end-to-end chat, customer side and orchestration. Through the AWS
// SDK for JavaScript it creates an instance and an agent; it starts the
// agent process (agent.mjs), starts a chat with StartChatContact, and
// talks to the agent as a customer through amazon-connect-chatjs. It
// prints one JSON object with what both sides saw; chatjs_test.go checks
// it.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import {
  ConnectClient, CreateInstanceCommand, CreateUserCommand, ListAgentStatusesCommand, ListContactFlowsCommand,
  ListRoutingProfilesCommand, ListSecurityProfilesCommand, StartChatContactCommand, DescribeContactCommand,
} from "@aws-sdk/client-connect";
import { configure, open, transcript } from "./chatjs.mjs";

const url = process.env.SWITCHBOARD_URL;
const aws = new ConnectClient({
  region: "us-east-1", endpoint: url, maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});

const { Id: iid } = await aws.send(new CreateInstanceCommand({
  IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: "chatjs-e2e", InboundCallsEnabled: true, OutboundCallsEnabled: true,
}));
const flows = await aws.send(new ListContactFlowsCommand({ InstanceId: iid, ContactFlowTypes: ["CONTACT_FLOW"] }));
const flow = flows.ContactFlowSummaryList[0].Id;
const profiles = await aws.send(new ListRoutingProfilesCommand({ InstanceId: iid }));
const security = await aws.send(new ListSecurityProfilesCommand({ InstanceId: iid }));
const statuses = await aws.send(new ListAgentStatusesCommand({ InstanceId: iid }));
await aws.send(new CreateUserCommand({
  InstanceId: iid, Username: "ada", Password: "Passw0rd!",
  IdentityInfo: { FirstName: "Ada", LastName: "Agent" }, PhoneConfig: { PhoneType: "SOFT_PHONE" },
  RoutingProfileId: profiles.RoutingProfileSummaryList[0].Id,
  SecurityProfileIds: [security.SecurityProfileSummaryList.find((s) => s.Name === "Agent")?.Id ?? security.SecurityProfileSummaryList[0].Id],
}));

// The agent process logs in and goes Available before the chat starts.
const agentProc = spawn(process.execPath, ["agent.mjs"], {
  cwd: import.meta.dirname ?? new URL(".", import.meta.url).pathname,
  env: { ...process.env, INSTANCE_ID: iid, AGENT_USER: "ada", AGENT_PASSWORD: "Passw0rd!",
    AVAILABLE_STATUS: statuses.AgentStatusSummaryList.find((s) => s.Type === "ROUTABLE").Id },
  stdio: ["ignore", "pipe", "inherit"],
});
const lines = createInterface({ input: agentProc.stdout });
const agentLines = [];
let lineWaiter;
lines.on("line", (l) => { agentLines.push(JSON.parse(l)); lineWaiter?.(); });
const agentLine = (n) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`agent process said ${JSON.stringify(agentLines)}`)), 20000);
  const check = () => { if (agentLines.length > n) { clearTimeout(timer); resolve(agentLines[n]); } };
  lineWaiter = check;
  agentProc.on("exit", (code) => { if (code) reject(new Error(`agent process exited ${code}`)); });
  check();
});
await agentLine(0);

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
