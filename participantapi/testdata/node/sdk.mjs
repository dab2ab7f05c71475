// Called by participantapi/node_test.go with SWITCHBOARD_URL and
// PARTICIPANT_TOKEN set; prints what the SDK returned as one JSON line.
import {
  ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  SendMessageCommand,
  GetTranscriptCommand,
  StartAttachmentUploadCommand,
  CompleteAttachmentUploadCommand,
  GetAttachmentCommand,
} from "@aws-sdk/client-connectparticipant";

const client = new ConnectParticipantClient({
  region: "us-east-1",
  endpoint: process.env.SWITCHBOARD_URL,
  // The participant service ignores SigV4; the SDK signs anyway.
  credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
  maxAttempts: 1,
});

const conn = await client.send(new CreateParticipantConnectionCommand({
  ParticipantToken: process.env.PARTICIPANT_TOKEN,
  Type: ["WEBSOCKET", "CONNECTION_CREDENTIALS"],
}));
const token = conn.ConnectionCredentials.ConnectionToken;
const sent = await client.send(new SendMessageCommand({
  ConnectionToken: token, ContentType: "text/plain", Content: "hello from the JS SDK",
}));
const transcript = await client.send(new GetTranscriptCommand({
  ConnectionToken: token, MaxResults: 15, ScanDirection: "BACKWARD", SortOrder: "ASCENDING", StartPosition: {},
}));
// An attachment the way chatjs sends one: start, PUT the bytes with
// HeadersToInclude, complete, then fetch it through GetAttachment's Url.
const bytes = new TextEncoder().encode("attached text");
const up = await client.send(new StartAttachmentUploadCommand({
  ConnectionToken: token, AttachmentName: "note.txt", AttachmentSizeInBytes: bytes.length, ContentType: "text/plain",
}));
const put = await fetch(up.UploadMetadata.Url, { method: "PUT", headers: up.UploadMetadata.HeadersToInclude, body: bytes });
await client.send(new CompleteAttachmentUploadCommand({ ConnectionToken: token, AttachmentIds: [up.AttachmentId] }));
const got = await client.send(new GetAttachmentCommand({ ConnectionToken: token, AttachmentId: up.AttachmentId, UrlExpiryInSeconds: 60 }));
const download = await fetch(got.Url);
const attachment = {
  id: up.AttachmentId, putStatus: put.status, size: got.AttachmentSizeInBytes,
  body: await download.text(), contentType: download.headers.get("content-type"),
};
let error = null;
try {
  await client.send(new SendMessageCommand({ ConnectionToken: token, ContentType: "text/plain", Content: "x".repeat(1025) }));
} catch (e) {
  error = { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
}
console.log(JSON.stringify({
  websocketUrl: conn.Websocket.Url, expiry: conn.ConnectionCredentials.Expiry,
  sentId: sent.Id, sentTime: sent.AbsoluteTime,
  transcript: transcript.Transcript.map((i) => ({ Id: i.Id, Type: i.Type, Content: i.Content, ContentType: i.ContentType, Role: i.ParticipantRole })),
  initialContactId: transcript.InitialContactId,
  error,
  attachment,
}));
