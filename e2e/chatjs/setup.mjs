// What the end-to-end scenarios start from, through the AWS SDK for
// JavaScript: an instance, and agents whose processes (agent.mjs, in the
// mode given) are logged in and Available.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import {
  ConnectClient, CreateInstanceCommand, CreateUserCommand, ListAgentStatusesCommand, ListContactFlowsCommand,
  ListRoutingProfilesCommand, ListSecurityProfilesCommand,
} from "@aws-sdk/client-connect";

export const url = process.env.SWITCHBOARD_URL;
export const aws = new ConnectClient({
  region: "us-east-1", endpoint: url, maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});

// newInstance creates an instance and reads what agents need from it.
export async function newInstance() {
  const { Id: iid } = await aws.send(new CreateInstanceCommand({
    IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: "chatjs-e2e", InboundCallsEnabled: true, OutboundCallsEnabled: true,
  }));
  const flows = await aws.send(new ListContactFlowsCommand({ InstanceId: iid, ContactFlowTypes: ["CONTACT_FLOW"] }));
  const profiles = await aws.send(new ListRoutingProfilesCommand({ InstanceId: iid }));
  const security = await aws.send(new ListSecurityProfilesCommand({ InstanceId: iid }));
  const statuses = await aws.send(new ListAgentStatusesCommand({ InstanceId: iid }));
  return {
    iid, defaultFlow: flows.ContactFlowSummaryList[0].Id, defaultProfile: profiles.RoutingProfileSummaryList[0].Id,
    agentProfile: security.SecurityProfileSummaryList.find((s) => s.Name === "Agent")?.Id ?? security.SecurityProfileSummaryList[0].Id,
    available: statuses.AgentStatusSummaryList.find((s) => s.Type === "ROUTABLE").Id,
  };
}

// startAgent creates a user and starts its agent process (agent.mjs) in
// mode, logged in and Available; it returns agentLine(n), which waits for
// the process's n-th JSON line (0 is "ready", already read).
export async function startAgent(inst, { username, firstName, mode, routingProfile = inst.defaultProfile, env = {} }) {
  await aws.send(new CreateUserCommand({
    InstanceId: inst.iid, Username: username, Password: "Passw0rd!",
    IdentityInfo: { FirstName: firstName, LastName: "Agent" }, PhoneConfig: { PhoneType: "SOFT_PHONE" },
    RoutingProfileId: routingProfile, SecurityProfileIds: [inst.agentProfile],
  }));
  const agentProc = spawn(process.execPath, ["agent.mjs"], {
    cwd: import.meta.dirname ?? new URL(".", import.meta.url).pathname,
    env: { ...process.env, ...env, INSTANCE_ID: inst.iid, AGENT_USER: username, AGENT_PASSWORD: "Passw0rd!", AGENT_MODE: mode,
      AVAILABLE_STATUS: inst.available },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: agentProc.stdout });
  const agentLines = [];
  let lineWaiter;
  lines.on("line", (l) => { agentLines.push(JSON.parse(l)); lineWaiter?.(); });
  const agentLine = (n) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent ${username} said ${JSON.stringify(agentLines)}`)), 20000);
    const check = () => { if (agentLines.length > n) { clearTimeout(timer); resolve(agentLines[n]); } };
    lineWaiter = check;
    agentProc.on("exit", (code) => { if (code) reject(new Error(`agent ${username} exited ${code}`)); });
    check();
  });
  await agentLine(0);
  return agentLine;
}

// desk is an instance with one agent, ada, on the default routing profile
// (BasicQueue), in mode.
export async function desk(mode) {
  const inst = await newInstance();
  const agentLine = await startAgent(inst, { username: "ada", firstName: "Ada", mode });
  return { iid: inst.iid, defaultFlow: inst.defaultFlow, agentLine };
}
