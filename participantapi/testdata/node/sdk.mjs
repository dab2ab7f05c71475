// Called by participantapi/node_test.go with SWITCHBOARD_URL and
// PARTICIPANT_TOKEN set; prints what the SDK returned as one JSON line.
import {
  ConnectParticipantClient,
  CreateParticipantConnectionCommand,
  SendMessageCommand,
  GetTranscriptCommand,
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
}));
