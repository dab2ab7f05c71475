// A form in a chat through amazon-connect-chatjs: the inbound flow's
// ShowView block shows the customer a view; the customer reads it with
// chatjs's describeView and submits it with an interactive.response
// message; the flow reads the answer ($.Views) and thanks the customer.
// It prints one JSON object; chatjs_test.go checks it.
import { CreateContactFlowCommand, CreateViewCommand, GetContactAttributesCommand, StartChatContactCommand } from "@aws-sdk/client-connect";
import { configure, open } from "./chatjs.mjs";
import { aws, newInstance, url } from "./setup.mjs";

const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
const { iid } = await newInstance();

const template = JSON.stringify({
  Head: { Title: "$.Heading" },
  Body: [{ _id: "form", Type: "Form", Props: {}, Content: [
    { _id: "address", Type: "FormInput", Props: { Name: "address", Label: "New address" } },
    { _id: "ok", Type: "Button", Props: { Action: "Submit" } },
  ] }],
});
const { View: view } = await aws.send(new CreateViewCommand({
  InstanceId: iid, Name: "Address", Status: "PUBLISHED", Content: { Template: template, Actions: ["Submit"] },
}));

const onError = (to) => [{ NextAction: to, ErrorType: "NoMatchingError" }];
const act = (Identifier, Type, Parameters, Transitions) => ({ Identifier, Type, Parameters, Transitions });
const { ContactFlowArn: flow } = await aws.send(new CreateContactFlowCommand({
  InstanceId: iid, Name: "Change of address", Type: "CONTACT_FLOW", Content: JSON.stringify({
    Version: "2019-10-30", StartAction: "show", Metadata: {}, Actions: [
      act("show", "ShowView", { ViewResource: { Id: view.Arn }, InvocationTimeLimitSeconds: "60", ViewData: { Heading: "Hello $.Attributes.name" } }, {
        NextAction: "bye",
        Conditions: [{ NextAction: "keep", Condition: { Operator: "Equals", Operands: ["Submit"] } }],
        Errors: [{ NextAction: "bye", ErrorType: "TimeLimitExceeded" }, ...onError("bye")],
      }),
      act("keep", "UpdateContactAttributes", { Attributes: { address: "$.Views.ViewResultData.address" } }, { NextAction: "thanks", Errors: onError("bye") }),
      act("thanks", "MessageParticipant", { Text: "Thanks, we will write to $.Attributes.address." }, { NextAction: "bye", Errors: onError("bye") }),
      act("bye", "DisconnectParticipant", {}, {}),
    ],
  }),
}));

const chat = await aws.send(new StartChatContactCommand({
  InstanceId: iid, ContactFlowId: flow, ParticipantDetails: { DisplayName: "Jane" }, Attributes: { name: "Jane" },
  SupportedMessagingContentTypes: ["text/plain", `${INTERACTIVE}.response`],
}));
configure(url);
const customer = await open({ contactId: chat.ContactId, participantId: chat.ParticipantId, participantToken: chat.ParticipantToken });

// The flow showed the view as the chat started, before this session
// connected: it is in the transcript.
const history = await customer.session.getTranscript({ maxResults: 100, sortOrder: "ASCENDING", scanDirection: "BACKWARD" });
const shown = history.data.Transcript.find((i) => i.ContentType === INTERACTIVE);
const content = JSON.parse(shown.Content).data.content;
const described = await customer.session.describeView({ viewToken: content.viewToken });

await customer.session.sendMessage({
  contentType: `${INTERACTIVE}.response`,
  message: JSON.stringify({ templateType: "ViewResource", version: "1.0",
    data: { content: { viewToken: content.viewToken, action: "Submit", output: { address: "2 New Street" } } } }),
});
const thanks = await customer.until("the thanks", (e) => e.role === "SYSTEM" && e.content?.startsWith("Thanks"));
const ended = await customer.until("the chat ending", (e) => e.kind === "ended" || e.contentType?.endsWith("chat.ended"));
const attrs = await aws.send(new GetContactAttributesCommand({ InstanceId: iid, InitialContactId: chat.ContactId }));

console.log(JSON.stringify({
  viewArn: view.Arn, shownArn: content.viewArn, heading: content.viewData?.Heading, role: shown.ParticipantRole,
  described: { id: described.data.View.Id, name: described.data.View.Name, template: described.data.View.Content.Template,
    actions: described.data.View.Content.Actions },
  template, thanks: thanks.content, ended: ended.kind, address: attrs.Attributes.address,
}));
process.exit(0);
