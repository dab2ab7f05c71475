// The agent's side of the end-to-end chat, in its own process: chatjs
// shares one connection per contact among the customer sessions of a
// process, so the agent's session cannot live beside the customer's.
//
// It logs in through Switchboard's agent API, goes Available, accepts the
// offered chat, joins it with chatjs using the participant token the
// agent API shows, and replies. In mode "converse" it waits for the
// customer to leave; in mode "leave" it ends the contact itself once the
// customer says they are done (a disconnect flow takes over); in mode
// "transfer" it transfers the chat to the quick connect QUICK_CONNECT when
// the customer asks for billing; in mode "second" it is the agent the
// transfer reaches, and greets the customer at once. It prints one JSON
// line with what it saw.
import { configure, open, transcript } from "./chatjs.mjs";

const {
  SWITCHBOARD_URL: url, INSTANCE_ID: iid, AGENT_USER: username, AGENT_PASSWORD: password, AVAILABLE_STATUS: available,
  AGENT_MODE: mode, QUICK_CONNECT: quickConnect,
} = process.env;
const api = async (method, path, token, body) => {
  const res = await fetch(`${url}/agent/v1/instances/${iid}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// poll asks the agent API until pick finds something (the test could use
// the agent stream; polling keeps this script short).
async function poll(what, token, pick) {
  for (let i = 0; i < 200; i++) {
    const hit = pick(await api("GET", "/snapshot", token));
    if (hit) return hit;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const { token } = await api("POST", "/login", null, { username, password });
await api("PUT", "/status", token, { statusId: available });
console.log(JSON.stringify({ ready: true }));

const offer = await poll("an offer", token, (s) => s.contacts.find((c) => c.state === "CONNECTING" && c.channel === "CHAT"));
await api("POST", `/contacts/${offer.contactId}/accept`, token);
const seat = await poll("the accepted chat", token, (s) => s.contacts.find((c) => c.contactId === offer.contactId && c.participantToken));

configure(url);
const agent = await open({ contactId: seat.contactId, participantId: seat.participantId, participantToken: seat.participantToken });
// The customer's first message may come before or after the agent joined;
// either way it is in the transcript, which the agent reads until it is.
let before = [];
for (let i = 0; mode !== "second" && i < 100 && !before.includes("CUSTOMER:Jane:Hello, my order is late"); i++) {
  if (i > 0) await sleep(100);
  before = await transcript(agent.session);
}
const greeting = mode === "second" ? "Billing here, how can I help?" : "Hi Jane, this is Ada. Let me check.";
await agent.session.sendMessage({ contentType: "text/plain", message: greeting });
if (mode === "transfer") {
  await agent.until("the customer asking for billing", (e) => e.role === "CUSTOMER" && e.content === "Can I talk to billing?");
  await api("POST", `/contacts/${seat.contactId}/transfer`, token, { quickConnectId: quickConnect });
  const done = await agent.until("the transfer", (e) => e.contentType?.endsWith("transfer.succeeded"));
  const after = await poll("after-contact work", token, (s) => s.contacts.find((c) => c.contactId === seat.contactId && c.state === "ENDED"));
  await api("POST", `/contacts/${seat.contactId}/complete`, token);
  console.log(JSON.stringify({ contactId: seat.contactId, transfer: done.contentType, state: after.state }));
  process.exit(0);
}
if (mode === "leave") {
  await agent.until("the customer being done", (e) => e.role === "CUSTOMER" && e.content === "No, that's all");
  await api("POST", `/contacts/${seat.contactId}/end`, token);
  const ended = await agent.until("leaving the chat", (e) => e.kind === "ended" || (e.contentType?.endsWith("participant.left") && e.role === "AGENT"));
  const after = await poll("after-contact work", token, (s) => s.contacts.find((c) => c.contactId === seat.contactId && c.state === "ENDED"));
  await api("POST", `/contacts/${seat.contactId}/complete`, token);
  console.log(JSON.stringify({ contactId: seat.contactId, left: ended.kind, state: after.state }));
  process.exit(0);
}
const bye = await agent.until("the customer's goodbye", (e) => e.role === "CUSTOMER" && e.content === "Thanks, bye");
const left = await agent.until("the customer leaving", (e) => e.contentType?.endsWith("participant.left") && e.role === "CUSTOMER");
const ended = await agent.until("chat.ended", (e) => e.kind === "ended" || e.contentType?.endsWith("chat.ended"));
const after = await poll("after-contact work", token, (s) => s.contacts.find((c) => c.contactId === seat.contactId && c.state === "ENDED"));
await api("POST", `/contacts/${seat.contactId}/complete`, token);
console.log(JSON.stringify({ contactId: seat.contactId, participantId: seat.participantId, before, bye: bye.content, left: left.name, ended: ended.kind, state: after.state, seen: agent.seen }));
process.exit(0);
