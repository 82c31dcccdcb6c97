/**
 * The Listkeeper CLI over the same lib as the JSON API (lib/registry, lib/provisioning):
 *
 *   npm run lk -- people add --name "Ada" --email ada@example.org[:type] …
 *   npm run lk -- people show 12
 *   npm run lk -- groups add --name staff
 *   npm run lk -- groups member 3 12 [--owner] [--from ISO] [--through ISO]
 *   npm run lk -- lists add --target 1 --name staff --members-group 3 [--admins-group 4]
 *   npm run lk -- lists provision 5 [--dry-run]
 *   npm run lk -- jobs wait 7 8 [--run] [--timeout 120]
 *
 * Output is JSON on stdout; errors go to stderr with exit code 1 (2 for bad input). Run on the
 * server with database access (with PGlite, stop the app first: one process at a time).
 * `jobs wait --run` runs due jobs in this process (no worker needed).
 */
import { Command, InvalidArgumentError } from "commander";
import { ensureLocalSecrets } from "./lib/local-secrets";

const int = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("not a whole number");
  return Number(value);
};

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function lib() {
  ensureLocalSecrets();
  const [registry, inputs, api] = await Promise.all([import("@/lib/registry/registry"), import("@/lib/registry/inputs"), import("@/lib/api/v1")]);
  return { registry, inputs, api };
}

const program = new Command("lk").description("Listkeeper registry and provisioning").showHelpAfterError();

const people = program.command("people").description("registry people");
people
  .command("add")
  .requiredOption("--name <name>", "display name")
  .option("--email <addresses...>", "address[:type], in order (the lowest id wins ties)", [])
  .option("--status <status>", "person status", "active")
  .option("--external-id <id>", "IdP id")
  .action(async (o: { name: string; email: string[]; status: string; externalId?: string }) => {
    const { registry, inputs } = await lib();
    const input = inputs.personCreateInput.parse({
      displayName: o.name,
      status: o.status,
      externalId: o.externalId ?? null,
      emails: o.email.map((e) => {
        const [address, type] = e.split(/:(?=[^:@]+$)/);
        return { address, ...(type ? { type } : {}) };
      }),
    });
    const { value, jobIds } = await registry.createPerson(input);
    print({ ...value, jobIds });
  });
people
  .command("show")
  .argument("<id>", "person id", int)
  .action(async (id: number) => print(await (await lib()).registry.getPerson(id)));
people
  .command("provision")
  .argument("<id>", "person id", int)
  .option("--target <id>", "one target", int)
  .action(async (id: number, o: { target?: number }) => print(await (await lib()).registry.provisionPerson(id, o.target)));

const groups = program.command("groups").description("registry groups");
groups
  .command("add")
  .requiredOption("--name <name>")
  .option("--description <text>", "", "")
  .action(async (o: { name: string; description: string }) => {
    const { registry, inputs } = await lib();
    const { value, jobIds } = await registry.createGroup(inputs.groupCreateInput.parse(o));
    print({ ...value, jobIds });
  });
groups
  .command("member")
  .argument("<groupId>", "group id", int)
  .argument("<personId>", "person id", int)
  .option("--owner", "group owner (not list owner)", false)
  .option("--not-member", "owner only", false)
  .option("--from <iso>", "valid from")
  .option("--through <iso>", "valid through")
  .action(async (groupId: number, personId: number, o: { owner: boolean; notMember: boolean; from?: string; through?: string }) => {
    const { registry, inputs } = await lib();
    const input = inputs.membershipInput.parse({ member: !o.notMember, owner: o.owner, validFrom: o.from ?? null, validThrough: o.through ?? null });
    const { value, jobIds } = await registry.putMembership(groupId, personId, input);
    print({ ...value, jobIds });
  });

const lists = program.command("lists").description("registry email lists");
lists
  .command("add")
  .requiredOption("--target <id>", "Mailman server (target) id", int)
  .requiredOption("--name <local-part>")
  .option("--description <text>", "", "")
  .option("--members-group <id>", "", int)
  .option("--admins-group <id>", "", int)
  .option("--moderators-group <id>", "", int)
  .option("--self-service", "IXP-style preferences", false)
  .option("--eligibility-group <id>", "", int)
  .action(async (o: { target: number; name: string; description: string; membersGroup?: number; adminsGroup?: number; moderatorsGroup?: number; selfService: boolean; eligibilityGroup?: number }) => {
    const { registry, inputs } = await lib();
    const input = inputs.emailListCreateInput.parse({
      targetId: o.target,
      name: o.name,
      description: o.description,
      membershipMode: o.selfService ? "self_service" : "group",
      membersGroupId: o.membersGroup ?? null,
      adminsGroupId: o.adminsGroup ?? null,
      moderatorsGroupId: o.moderatorsGroup ?? null,
      eligibilityGroupId: o.eligibilityGroup ?? null,
    });
    const { value, jobIds } = await registry.createEmailList(input);
    print({ ...value, jobIds });
  });
lists
  .command("provision")
  .argument("<id>", "email list id", int)
  .option("--dry-run", "print the plan, change nothing", false)
  .action(async (id: number, o: { dryRun: boolean }) => {
    const { registry, api } = await lib();
    if (o.dryRun) {
      const list = await registry.getEmailList(id);
      print(await api.dryRunPlan([{ targetId: list.targetId, subjectType: "list", subjectId: id, action: "provision" }]));
    } else print(await registry.provisionEmailList(id));
  });

const jobs = program.command("jobs").description("provisioning jobs");
jobs
  .command("show")
  .argument("<id>", "job id", int)
  .action(async (id: number) => print(await (await lib()).api.jobById(id)));
jobs
  .command("wait")
  .argument("<ids...>", "job ids", (v: string, acc: number[] = []) => [...acc, int(v)])
  .option("--run", "run due jobs in this process", false)
  .option("--timeout <seconds>", "give up after", int, 300)
  .action(async (ids: number[], o: { run: boolean; timeout: number }) => {
    const { api } = await lib();
    const { runProvisioningJob } = await import("@/lib/provisioning/run-job");
    const deadline = Date.now() + o.timeout * 1000;
    const finished = new Set(["succeeded", "partial", "failed"]);
    const out = [];
    for (const id of ids) {
      for (;;) {
        const job = await api.jobById(id);
        if (finished.has(job.status)) {
          out.push(job);
          break;
        }
        if (Date.now() > deadline) throw new Error(`job ${id} is still ${job.status} after ${o.timeout} s`);
        if (o.run) await runProvisioningJob(id, { workerId: `cli:${process.pid}` });
        else await new Promise((r) => setTimeout(r, 500));
      }
    }
    print(out);
    if (out.some((j) => j.status !== "succeeded")) process.exitCode = 1;
  });

/** The command's words ("lk people add"), never its values: the CLI door's label in the audit log. */
function commandLabel(argv: readonly string[]): string {
  return ["lk", ...argv.slice(2, 4).filter((a) => /^[a-z-]+$/.test(a))].join(" ");
}

async function main() {
  try {
    ensureLocalSecrets();
    // The CLI is a door like the API: one audit scope around the command (lib/audit/record.ts).
    const { auditDoor, withAuditScope } = await import("@/lib/audit");
    await withAuditScope(auditDoor.cli(commandLabel(process.argv)), () => program.parseAsync(process.argv));
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) {
      process.stderr.write(`${issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n")}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  } finally {
    const { closeDb } = await import("@/db/client");
    const { stopQueue } = await import("@/lib/jobs/queue");
    await stopQueue().catch(() => {});
    await closeDb();
  }
}

void main();
