// Loads the official amazon-connect-chatjs bundle into Node and points it
// at a local Switchboard. The bundle is written for browsers: it attaches
// itself to window.connect and expects a WebSocket and navigator.onLine,
// so this file supplies those before loading it (chat-protocol.md §7).
import { createRequire } from "node:module";
import WebSocket from "ws";

globalThis.window ??= globalThis;
globalThis.self ??= globalThis;
// Node 20 has no navigator; chatjs's websocket manager asks it whether the
// network is up before every (re)connect.
if (typeof globalThis.navigator === "undefined") {
  globalThis.navigator = { onLine: true, userAgent: "node" };
}
// Node 20 has no WebSocket without a flag; ws speaks the same API.
globalThis.WebSocket ??= WebSocket;

createRequire(import.meta.url)("amazon-connect-chatjs");
export const connect = globalThis.connect;

// configure must run before the first ChatSession.create: chatjs caches
// its participant-service clients per region.
export function configure(endpoint) {
  connect.ChatSession.setGlobalConfig({
    region: "us-east-1",
    endpoint, // the participant service is at /participant/ on this URL
    loggerConfig: { useDefaultLogger: false },
    webSocketManagerConfig: { isNetworkOnline: () => true },
  });
}

// open creates and connects a chat session for a participant. Both the
// customer and the agent use type CUSTOMER: an AGENT session expects the
// Streams websocket manager of Connect's CCP, while the wire protocol is
// the same and the server knows the role from the token.
export async function open({ contactId, participantId, participantToken }) {
  const session = connect.ChatSession.create({
    chatDetails: { contactId, participantId, participantToken },
    options: { region: "us-east-1" },
    type: connect.ChatSession.SessionTypes.CUSTOMER,
    disableCSM: true, // no telemetry worker, no document needed
  });
  const seen = [];
  const waiters = [];
  const record = (kind) => (event) => {
    const d = event.data;
    seen.push({ kind, type: d.Type, contentType: d.ContentType, content: d.Content, role: d.ParticipantRole, name: d.DisplayName, id: d.Id, contact: d.ContactId });
    for (const w of [...waiters]) w();
  };
  session.onMessage(record("message"));
  session.onEnded(record("ended"));
  await session.connect();
  // until waits for an item matching pred to arrive over the socket.
  const until = (what, pred, ms = 10000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = seen.find(pred);
        if (hit) {
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`timed out waiting for ${what}; seen ${JSON.stringify(seen)}`));
      }, ms);
      waiters.push(check);
      check();
    });
  return { session, seen, until };
}

// transcript reads the whole transcript, oldest first, as chatjs's
// default request does.
export async function transcript(session) {
  const res = await session.getTranscript({ maxResults: 100, sortOrder: "ASCENDING", scanDirection: "BACKWARD" });
  return res.data.Transcript.map((i) => `${i.ParticipantRole}:${i.DisplayName}:${i.Type === "EVENT" ? i.ContentType.split(".").slice(-2).join(".") : i.Content}`);
}
