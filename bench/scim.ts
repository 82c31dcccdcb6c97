/**
 * npm run bench:scim [-- --users 1000 --batch 100 --parallel 2]
 * A SCIM push as an identity provider makes it (provisioning.md §6, §11), next to the engine's
 * floor in the same run on the same core:
 *  - set-up (not timed): a SCIM connector, an empty SCIM Group, an email list (membership mode
 *    "group", no self-service) bound to it as members group, provisioned (empty);
 *  - timed: N `POST /scim/v2/Users` (Entra's shape), then `PATCH /Groups/{id}` adding the members
 *    in batches of --batch (Okta's and Entra's "add members"), while the job worker (as deployed,
 *    --parallel jobs per kind) runs the queued provisioning jobs; the clock stops at the end of
 *    the last successful `POST /members` the worker makes;
 *  - the floor: the raw REST calls one subscription needs at least (POST /users, verify,
 *    preferred address, POST /members; 4 in parallel), as bench:provision measures it.
 * Route handlers are called in-process (no HTTP), as the integration tests do.
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { databaseLabel, rawCore, recordCoreCalls, runBench, seconds } from "./support";

const { values } = parseArgs({ options: { users: { type: "string", default: "1000" }, batch: { type: "string", default: "100" }, parallel: { type: "string", default: "2" } } });
const N = Number(values.users);
const BATCH = Number(values.batch);
const PARALLEL = Number(values.parallel);

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

runBench(async ({ core, su, target, tag }) => {
  const { createConnector } = await import("@/lib/scim/connectors");
  const { createEmailList, getEmailList } = await import("@/lib/registry/registry");
  const { startWorker } = await import("@/lib/jobs/worker");
  const { stopQueue } = await import("@/lib/jobs/queue");
  const users = await import("@/app/scim/v2/Users/route");
  const groups = await import("@/app/scim/v2/Groups/route");
  const groupItem = await import("@/app/scim/v2/Groups/[id]/route");
  const raw = rawCore(core);
  const { token } = await createConnector({ name: `bench ${tag}` }, su.id);

  async function scim(handler: Handler, method: string, path: string, body: unknown, id?: string) {
    const response = await handler(
      new Request(`http://localhost/scim/v2${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" }, body: JSON.stringify(body) }),
      { params: Promise.resolve(id ? { id } : ({} as Record<string, string>)) },
    );
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return { body: (await response.json()) as { id: string }, jobIds: (response.headers.get("x-listkeeper-job-ids") ?? "").split(",").filter(Boolean).map(Number) };
  }

  // Set-up (not timed) ---------------------------------------------------------------------------
  const group = await scim(groups.POST, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `Bench ${tag}`, externalId: `g-${tag}`, members: [] });
  const list = await createEmailList({ targetId: target.id, name: `scim-${tag}`, description: "", status: "active", membershipMode: "group", membersGroupId: Number(group.body.id), adminsGroupId: null, moderatorsGroupId: null, eligibilityGroupId: null });
  const worker = await startWorker({ parallelJobs: PARALLEL, pollingIntervalSeconds: 0.5 });
  await worker.idle(100);
  const mailmanListId = (await getEmailList(list.value.id)).mailmanListId;
  if (!mailmanListId) throw new Error("the bench list was not provisioned");

  // Timed: the SCIM push and the worker ------------------------------------------------------------
  const log = await recordCoreCalls();
  const t0 = performance.now();
  const ids: string[] = [];
  const jobIds: number[] = [];
  for (let i = 0; i < N; i++) {
    const mail = `u${i}.${tag}@scim.example.test`;
    const r = await scim(users.POST, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      externalId: `ext-${i}-${tag}`,
      userName: mail,
      active: true,
      displayName: `Scim User ${i}`,
      emails: [{ primary: true, type: "work", value: mail }],
      name: { formatted: `Scim User ${i}`, familyName: `User ${i}`, givenName: "Scim" },
    });
    ids.push(r.body.id);
    jobIds.push(...r.jobIds);
  }
  const usersPushed = performance.now();
  for (let i = 0; i < ids.length; i += BATCH) {
    const r = await scim(groupItem.PATCH, "PATCH", `/Groups/${group.body.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Add", path: "members", value: ids.slice(i, i + BATCH).map((value) => ({ value })) }] }, group.body.id);
    jobIds.push(...r.jobIds);
  }
  const scimDone = performance.now();
  await worker.idle(100);
  log.stop();
  const subscribes = log.calls.filter((c) => c.method === "POST" && c.path === "/members" && typeof c.status === "number" && c.status < 300);
  const lastSubscription = Math.max(...subscribes.map((c) => c.end));
  const roster = (await raw("GET", `/lists/${mailmanListId}/roster/member?count=1&page=1`)).json as { total_size: number };
  await worker.stop();

  const total = lastSubscription - t0;
  const writes = log.calls.filter((c) => c.method !== "GET").length;
  const line = (label: string, value: string, extra = "") => console.log(`${label.padEnd(64)} ${value.padStart(9)} ${extra}`);
  console.log(`\nbench:scim — core ${core.restUrl}, ${databaseLabel()}, ${N} SCIM users, one group, members added ${BATCH} per PATCH, worker ${PARALLEL} jobs per kind\n`);
  line(`SCIM calls: ${N} POST /Users`, seconds(usersPushed - t0), `(${((usersPushed - t0) / N).toFixed(1)} ms each)`);
  line(`SCIM calls: ${Math.ceil(N / BATCH)} PATCH /Groups (add members)`, seconds(scimDone - usersPushed));
  line(`provisioning jobs queued by these calls`, String(jobIds.length));
  line(`core calls made by the worker`, String(log.calls.length), `(${writes} writes, ${subscribes.length} subscriptions)`);
  line(`members in the Mailman roster at the end`, String(roster.total_size), `(expected ${N})`);
  line(`Listkeeper: first SCIM call → last Mailman subscription`, seconds(total));

  // The engine's floor -------------------------------------------------------------------------------
  const floorList = `floor-${tag}@${target.domain}`;
  await raw("POST", "/lists", { fqdn_listname: floorList });
  const floorListId = `floor-${tag}.${target.domain}`;
  const limit = pLimit(4);
  // The core answers 500 now and then on a loaded machine (its SQLite is busy): such a call is
  // sent again, so one hiccup does not lose the run.
  let floorRetries = 0;
  const retried = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= 5) throw error;
        floorRetries++;
      }
    }
  };
  const floorStart = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      limit(async () => {
        const email = `f${i}.${tag}@scim.example.test`;
        const userId = await retried(async () => {
          const created = await fetch(`${core.restUrl}/3.1/users`, {
            method: "POST",
            headers: { authorization: `Basic ${Buffer.from(`${core.user}:${core.password}`).toString("base64")}`, "content-type": "application/json" },
            body: JSON.stringify({ email, display_name: `Floor ${i}` }),
          });
          // A retry after a 500 that had in fact created the user: read it.
          if (created.status === 400) return String(((await raw("GET", `/users/${email}`)).json as { user_id: string | number }).user_id);
          const location = created.headers.get("location");
          if (!location) throw new Error(`POST /users answered ${created.status}`);
          return location.split("/").pop()!;
        });
        await retried(() => raw("POST", `/addresses/${email}/verify`));
        await retried(() => raw("POST", `/users/${userId}/preferred_address`, { email }));
        await retried(() => raw("POST", "/members", { list_id: floorListId, subscriber: userId, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false }));
      }),
    ),
  );
  const floorMs = performance.now() - floorStart;
  await stopQueue().catch(() => {});

  line(`raw floor (POST /users, verify, preferred, /members; 4 ∥)`, seconds(floorMs), floorRetries ? `(${floorRetries} calls retried after a 5xx)` : "");
  console.log(`ratio ${(total / floorMs).toFixed(2)} × the floor`);
});
