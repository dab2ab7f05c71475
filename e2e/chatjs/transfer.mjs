// A chat transfer through amazon-connect-chatjs: ada (agent.mjs in mode
// "transfer") hands the chat to a QUEUE quick connect for Billing when the
// customer asks; the customer's session, untouched, sees
// transfer.succeeded, the transfer flow's message and bob (mode "second")
// joining from the new contact, and talks with him. It prints one JSON
// object; chatjs_test.go checks it.
import {
  CreateContactFlowCommand, CreateQueueCommand, CreateQuickConnectCommand, CreateRoutingProfileCommand, DescribeContactCommand,
  ListHoursOfOperationsCommand, StartChatContactCommand,
} from "@aws-sdk/client-connect";
import { configure, open } from "./chatjs.mjs";
import { aws, newInstance, startAgent, url } from "./setup.mjs";

const inst = await newInstance();
const { iid } = inst;
const hours = await aws.send(new ListHoursOfOperationsCommand({ InstanceId: iid }));
const { QueueId: billing } = await aws.send(new CreateQueueCommand({
  InstanceId: iid, Name: "Billing", HoursOfOperationId: hours.HoursOfOperationSummaryList[0].Id,
}));
const { RoutingProfileId: billingDesk } = await aws.send(new CreateRoutingProfileCommand({
  InstanceId: iid, Name: "Billing desk", Description: "Billing", DefaultOutboundQueueId: billing,
  MediaConcurrencies: [{ Channel: "CHAT", Concurrency: 2 }],
  QueueConfigs: [{ QueueReference: { QueueId: billing, Channel: "CHAT" }, Priority: 1, Delay: 0 }],
}));
const onError = (to) => [{ NextAction: to, ErrorType: "NoMatchingError" }];
const act = (Identifier, Type, Parameters, Transitions) => ({ Identifier, Type, Parameters, Transitions });
const { ContactFlowId: xferFlow } = await aws.send(new CreateContactFlowCommand({
  InstanceId: iid, Name: "To billing", Type: "QUEUE_TRANSFER", Content: JSON.stringify({
    Version: "2019-10-30", StartAction: "tell", Metadata: {}, Actions: [
      act("tell", "MessageParticipant", { Text: "Transferring you to billing." }, { NextAction: "xfer", Errors: onError("bye") }),
      act("xfer", "TransferContactToQueue", {}, { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "QueueAtCapacity" }, ...onError("bye")] }),
      act("bye", "DisconnectParticipant", {}, {}),
    ],
  }),
}));
const { QuickConnectId: qc } = await aws.send(new CreateQuickConnectCommand({
  InstanceId: iid, Name: "Billing", QuickConnectConfig: { QuickConnectType: "QUEUE", QueueConfig: { QueueId: billing, ContactFlowId: xferFlow } },
}));
const ada = await startAgent(inst, { username: "ada", firstName: "Ada", mode: "transfer", env: { QUICK_CONNECT: qc } });
const bob = await startAgent(inst, { username: "bob", firstName: "Bob", mode: "second", routingProfile: billingDesk });

const chat = await aws.send(new StartChatContactCommand({
  InstanceId: iid, ContactFlowId: inst.defaultFlow, ParticipantDetails: { DisplayName: "Jane" },
}));
configure(url);
const customer = await open({ contactId: chat.ContactId, participantId: chat.ParticipantId, participantToken: chat.ParticipantToken });
await customer.session.sendMessage({ contentType: "text/plain", message: "Hello, my order is late" });
await customer.until("ada's reply", (e) => e.role === "AGENT" && e.name === "Ada" && e.type === "MESSAGE");
await customer.session.sendMessage({ contentType: "text/plain", message: "Can I talk to billing?" });
const transferred = await customer.until("the transfer", (e) => e.contentType?.endsWith("transfer.succeeded"));
const told = await customer.until("the transfer flow's message", (e) => e.role === "SYSTEM" && e.content === "Transferring you to billing.");
const joined = await customer.until("bob joining", (e) => e.role === "AGENT" && e.name === "Bob" && e.contentType?.endsWith("participant.joined"));
const greeting = await customer.until("bob's greeting", (e) => e.role === "AGENT" && e.name === "Bob" && e.type === "MESSAGE");
await customer.session.sendMessage({ contentType: "text/plain", message: "Thanks, bye" });
await customer.until("the goodbye echoed", (e) => e.content === "Thanks, bye");
await customer.session.disconnectParticipant();
const adaResult = await ada(1);
const bobResult = await bob(1);
const second = await aws.send(new DescribeContactCommand({ InstanceId: iid, ContactId: told.contact }));
const first = await aws.send(new DescribeContactCommand({ InstanceId: iid, ContactId: chat.ContactId }));

console.log(JSON.stringify({
  contactId: chat.ContactId, transferred: transferred.contentType, told: told.content, joined: joined.name, greeting: greeting.content,
  firstReason: first.Contact.DisconnectReason, ada: adaResult, bob: bobResult,
  second: { id: second.Contact.Id, method: second.Contact.InitiationMethod, previous: second.Contact.PreviousContactId,
    queue: second.Contact.QueueInfo?.Id, billing, reason: second.Contact.DisconnectReason },
}));
process.exit(0);
