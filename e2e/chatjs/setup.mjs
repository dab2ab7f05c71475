// What every end-to-end scenario starts from: through the AWS SDK for
// JavaScript an instance and an agent "ada"; the agent process
// (agent.mjs, in the mode given) logged in and Available.
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

// desk creates the instance and the agent and starts the agent process;
// agentLine(n) waits for the process's n-th JSON line (0 is "ready").
export async function desk(agentMode) {
  const { Id: iid } = await aws.send(new CreateInstanceCommand({
    IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: "chatjs-e2e", InboundCallsEnabled: true, OutboundCallsEnabled: true,
  }));
  const flows = await aws.send(new ListContactFlowsCommand({ InstanceId: iid, ContactFlowTypes: ["CONTACT_FLOW"] }));
  const profiles = await aws.send(new ListRoutingProfilesCommand({ InstanceId: iid }));
  const security = await aws.send(new ListSecurityProfilesCommand({ InstanceId: iid }));
  const statuses = await aws.send(new ListAgentStatusesCommand({ InstanceId: iid }));
  await aws.send(new CreateUserCommand({
    InstanceId: iid, Username: "ada", Password: "Passw0rd!",
    IdentityInfo: { FirstName: "Ada", LastName: "Agent" }, PhoneConfig: { PhoneType: "SOFT_PHONE" },
    RoutingProfileId: profiles.RoutingProfileSummaryList[0].Id,
    SecurityProfileIds: [security.SecurityProfileSummaryList.find((s) => s.Name === "Agent")?.Id ?? security.SecurityProfileSummaryList[0].Id],
  }));
  const agentProc = spawn(process.execPath, ["agent.mjs"], {
    cwd: import.meta.dirname ?? new URL(".", import.meta.url).pathname,
    env: { ...process.env, INSTANCE_ID: iid, AGENT_USER: "ada", AGENT_PASSWORD: "Passw0rd!", AGENT_MODE: agentMode,
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
  return { iid, defaultFlow: flows.ContactFlowSummaryList[0].Id, agentLine };
}
