// A post-chat survey through amazon-connect-chatjs: the inbound flow sets
// a disconnect flow (UpdateContactEventHooks CustomerRemaining); the agent
// (agent.mjs in mode "leave") ends the contact; the customer's session,
// untouched, gets the survey question from the new contact the chat went
// on in, answers it, and sees the chat end. It prints one JSON object;
// chatjs_test.go checks it.
import { CreateContactFlowCommand, DescribeContactCommand, ListQueuesCommand, StartChatContactCommand } from "@aws-sdk/client-connect";
import { configure, open } from "./chatjs.mjs";
import { aws, desk, url } from "./setup.mjs";

const { iid, agentLine } = await desk("leave");

const onError = (to) => [{ NextAction: to, ErrorType: "NoMatchingError" }];
const act = (Identifier, Type, Parameters, Transitions) => ({ Identifier, Type, Parameters, Transitions });
const bye = act("bye", "DisconnectParticipant", {}, {});
const flow = async (Name, StartAction, Actions) => (await aws.send(new CreateContactFlowCommand({
  InstanceId: iid, Name, Type: "CONTACT_FLOW", Content: JSON.stringify({ Version: "2019-10-30", StartAction, Metadata: {}, Actions }),
}))).ContactFlowArn;

const survey = await flow("Post-chat survey", "ask", [
  act("ask", "MessageParticipant", { Text: "Ada has left the chat. How did we do, 1 to 5?" }, { NextAction: "wait", Errors: onError("bye") }),
  act("wait", "Wait", { TimeoutSeconds: "60", Events: ["CustomerReturned"] }, {
    NextAction: "bye",
    Conditions: [
      { NextAction: "thanks", Condition: { Operator: "Equals", Operands: ["CustomerReturned"] } },
      { NextAction: "bye", Condition: { Operator: "Equals", Operands: ["WaitCompleted"] } },
    ],
    Errors: onError("bye"),
  }),
  act("thanks", "MessageParticipant", { Text: "Thank you for your answer." }, { NextAction: "bye", Errors: onError("bye") }),
  bye,
]);
const queues = await aws.send(new ListQueuesCommand({ InstanceId: iid, QueueTypes: ["STANDARD"] }));
const basic = queues.QueueSummaryList.find((q) => q.Name === "BasicQueue").Arn;
const inbound = await flow("Chat with survey", "hook", [
  act("hook", "UpdateContactEventHooks", { EventHooks: { CustomerRemaining: survey } }, { NextAction: "setq", Errors: onError("bye") }),
  act("setq", "UpdateContactTargetQueue", { QueueId: basic }, { NextAction: "xfer", Errors: onError("bye") }),
  act("xfer", "TransferContactToQueue", {}, { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "QueueAtCapacity" }, ...onError("bye")] }),
  bye,
]);

const chat = await aws.send(new StartChatContactCommand({
  InstanceId: iid, ContactFlowId: inbound, ParticipantDetails: { DisplayName: "Jane" },
}));
configure(url);
const customer = await open({ contactId: chat.ContactId, participantId: chat.ParticipantId, participantToken: chat.ParticipantToken });
await customer.session.sendMessage({ contentType: "text/plain", message: "Hello, my order is late" });
await customer.until("the agent's reply", (e) => e.role === "AGENT" && e.type === "MESSAGE");
await customer.session.sendMessage({ contentType: "text/plain", message: "No, that's all" });
const left = await customer.until("the agent leaving", (e) => e.role === "AGENT" && e.contentType?.endsWith("participant.left"));
const question = await customer.until("the survey question", (e) => e.role === "SYSTEM" && e.content?.startsWith("Ada has left"));
await customer.session.sendMessage({ contentType: "text/plain", message: "5" });
const thanks = await customer.until("the thanks", (e) => e.role === "SYSTEM" && e.content === "Thank you for your answer.");
const ended = await customer.until("the chat ending", (e) => e.kind === "ended" || e.contentType?.endsWith("chat.ended"));
// Once the chat has ended chatjs refuses getTranscript: what the
// customer was shown live, from the agent leaving on, stands for it.
const from = customer.seen.indexOf(left);
const shown = customer.seen.slice(from + 1).map((e) =>
  `${e.role}:${e.name}:${e.type === "EVENT" ? e.contentType.split(".").slice(-2).join(".") : e.content}`);
const agentResult = await agentLine(1);
const first = await aws.send(new DescribeContactCommand({ InstanceId: iid, ContactId: chat.ContactId }));
const second = await aws.send(new DescribeContactCommand({ InstanceId: iid, ContactId: question.contact }));

console.log(JSON.stringify({
  contactId: chat.ContactId, left: left.name, question: question.content, thanks: thanks.content, ended: ended.kind,
  shown, firstReason: first.Contact.DisconnectReason, agent: agentResult,
  surveyContact: { id: second.Contact.Id, method: second.Contact.InitiationMethod, previous: second.Contact.PreviousContactId,
    initial: second.Contact.InitialContactId, ended: second.Contact.DisconnectTimestamp !== undefined },
}));
process.exit(0);
