/**
 * Idempotent seeding through the same code paths the UI uses (so demo data is valid data).
 * Import this only after the environment (database, secrets) is set: it loads the app modules.
 */
export interface SeedUser {
  email: string;
  /** Omitted: an account without a password (it signs in through a session made for it, as the soak does). */
  password?: string;
  name: string;
  superuser?: boolean;
}

export interface SeedList {
  name: string;
  style?: string;
  owner: string;
  description: string;
  advertised: boolean;
  members?: string[];
  moderators?: string[];
  /** Owners besides `owner`. */
  owners?: string[];
}

export interface SeedPlan {
  users: SeedUser[];
  target: { name: string; serverUrl: string; adminUser: string; adminPassword: string; domain: string };
  lists: SeedList[];
}

/** Core calls in flight at once while seeding members: enough to keep a core busy, not to swamp it. */
const SEED_PARALLEL = 4;

export async function seed(plan: SeedPlan): Promise<{ targetId: number }> {
  const { default: pLimit } = await import("p-limit");
  const { createUser, findCredentialsByEmail, loadViewer } = await import("@/lib/auth/users");
  const { createTarget, listTargets, clientForTarget } = await import("@/lib/targets/targets");
  const { createList } = await import("@/lib/lists/lists");

  let actorId: string | undefined;
  for (const user of plan.users) {
    const existing = await findCredentialsByEmail(user.email);
    const id = existing ? existing.id : (await createUser({ email: user.email, password: user.password, displayName: user.name, superuser: user.superuser ?? false })).id;
    if (user.superuser && !actorId) actorId = id;
  }
  if (!actorId) throw new Error("the seed plan needs a superuser");
  const actor = await loadViewer(actorId);
  if (!actor) throw new Error("superuser vanished");

  const target = (await listTargets()).find((t) => t.name === plan.target.name) ?? (await createTarget(plan.target));
  const { client } = await clientForTarget(target.id);
  for (const list of plan.lists) {
    const listId = `${list.name}.${plan.target.domain}`;
    const fresh = !(await client.getList(listId));
    if (fresh) {
      await createList(
        {
          targetId: target.id,
          mailHost: plan.target.domain,
          name: list.name,
          styleName: list.style ?? "legacy-default",
          ownerEmail: list.owner,
          description: list.description,
          advertised: list.advertised,
        }
      );
    }
    const limit = pLimit(SEED_PARALLEL);
    const memberships = (
      [
        ["member", list.members ?? []],
        ["moderator", list.moderators ?? []],
        ["owner", (list.owners ?? []).filter((email) => email !== list.owner)],
      ] as const
    ).flatMap(([role, emails]) => emails.map((email) => ({ role, email })));
    await Promise.all(
      memberships.map(({ role, email }) =>
        limit(async () => {
          // A list created just now has nobody yet: no need to look first.
          const found = fresh ? { total: 0 } : await client.findMembers({ listId, subscriber: email, role }, { count: 1, page: 1 });
          if (found.total === 0) {
            await client.subscribe({ listId, subscriber: email, role, preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false });
          }
        }),
      ),
    );
  }
  return { targetId: target.id };
}
