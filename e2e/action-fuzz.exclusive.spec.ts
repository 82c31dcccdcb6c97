import fc from "fast-check";
import type { APIRequestContext } from "@playwright/test";
import { ACTION_MATRIX, type ActionEntry, type Samples } from "./access-matrix";
import { changedTables, closeFingerprint, fingerprint, fingerprintAvailable, settled } from "./db-fingerprint";
import { expect, people, seeded, signIn, test, uniqueName } from "./fixtures";
import { actionPage, coreClient } from "./personas";
import { builtActions, callAction, sortAnswer, type ActionAnswer } from "./server-actions";

/**
 * Every server action, called over HTTP as the browser calls it, with random and hostile input
 * (fast-check, fixed seed): huge and control-character strings, SQL and header-injection text,
 * wrong types, unknown keys, numbers past PostgreSQL's integers, a 10 MB body. Actions on a list
 * are called by its owner on a list of their own, the rest by a superuser (public ones
 * anonymously). Every answer is a success, a validation error or a refusal with a message, within
 * 15 s, never a 500 or the "something went wrong" of an unexpected error; and after a refusal the
 * database is as it was (e2e/db-fingerprint.ts).
 */

const INJECTIONS = [
  "' or 1=1 --",
  "'; drop table people; --",
  "\u0000",
  "a\u0000b",
  "a\r\nSet-Cookie: owned=1",
  "x@example.org\r\nBcc: all@example.org",
  "../../etc/passwd",
  "..",
  "%00%0d%0a",
  "<script>alert(1)</script>",
  '=HYPERLINK("http://x")',
  "$@0",
  "$K1",
  "99999999999999999999999999",
  "-1",
  "0",
  "1e309",
  "NaN",
  "true",
  "null",
  "x@",
  "@example.org",
  "a@b",
  "^(a+)+$",
  "\u202e\ufeff\ud800",
];
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(...INJECTIONS),
  fc.bigInt({ min: 2n ** 31n - 2n, max: 10n ** 25n }).map(String),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.constantFrom("x".repeat(300_000), `${"é".repeat(100_000)}@example.org`),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.integer({ min: 2 ** 31 - 2, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e300, NaN, -0));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.array(hostileText, { maxLength: 3 }));
/** The field names the actions' schemas use, so that random values reach real fields. */
const FIELDS = (
  "action active address addresses adminPassword adminUser advertised bans callbackUrl confirm confirmation confirmCount consent current description displayName " +
  "document domain email emails entries etag expectedPattern externalId fingerprint format givenName familyName globalBan header id ids index info input jobId " +
  "key level listId mailHost maxRetry memberId members membership membershipMode mode moderators name notify owner owners password pattern position " +
  "reason requestId requestIds retryIntervalS role scope scopeId section sender serverUrl settings source staff status subject targetId targets template text " +
  "token type value values verified"
).split(" ");
const hostileObject = fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 });
const unknownKeys = fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 4 });

/** One call's arguments: mostly one object with the action's field names, sometimes anything at all. */
function argumentsFor(entry: ActionEntry, listRef: { targetId: number; listId: string }): fc.Arbitrary<unknown[]> {
  const onList = entry.input !== undefined;
  const ref = fc.record({ targetId: fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(listRef.targetId) }, hostileValue), listId: fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(listRef.listId) }, hostileText) });
  const main = onList ? fc.tuple(ref, hostileObject, unknownKeys).map(([r, o, u]) => ({ ...u, ...o, ...r })) : fc.tuple(hostileObject, unknownKeys).map(([o, u]) => ({ ...u, ...o }));
  return fc.oneof({ weight: 6, arbitrary: main.map((input) => [input]) }, fc.array(hostileValue, { maxLength: 3 }), fc.tuple(main, hostileValue).map(([a, b]) => [a, b]));
}

const UNEXPECTED = /Something went wrong on the server/;

function judge(answer: ActionAnswer, label: string): "refused" | "done" {
  expect(answer.status, `${label} → HTTP ${answer.status} ${answer.body.slice(0, 300)}`).toBeLessThan(500);
  expect(answer.ms, `${label}: answered in ${answer.ms} ms`).toBeLessThan(15_000);
  const sorted = sortAnswer(answer);
  expect(sorted.kind, `${label}: ${JSON.stringify(sorted).slice(0, 300)}`).not.toBe("thrown");
  if (sorted.kind === "serverError") {
    expect(sorted.message, `${label}: an unexpected error`).not.toMatch(UNEXPECTED);
    expect(sorted.message.trim().length, `${label}: a message`).toBeGreaterThan(0);
  }
  return sorted.kind === "serverError" || sorted.kind === "validation" ? "refused" : "done";
}

test("every server action answers random and hostile input with a success or a refusal with a message, never a 500 or a hang, and a refusal changes nothing", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(300_000);
  // A list of the owner's own, so that what the fuzz manages to do touches no other spec's list.
  const mailman = coreClient();
  const listId = await mailman.createList({ fqdnListname: `${uniqueName("fuzz-")}@${seeded.domain}` });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", preVerified: true, preConfirmed: true, preApproved: true });
  const samples: Samples = { targetId: seeded.targetId, listA: listId, memberIdA: "0", heldIdA: 1 };
  const listRef = { targetId: seeded.targetId, listId };

  const signedIn = async (who: { email: string; password: string }) => {
    const context = await browser.newContext();
    await signIn(await context.newPage(), who);
    return context;
  };
  const superuser = await signedIn(people.admin);
  const owner = await signedIn(people.owner);
  const anonymous = await playwright.request.newContext({ baseURL });
  const built = new Map(builtActions().map((a) => [a.key, a]));
  await settled();
  const huge = JSON.stringify([{ text: "x".repeat(10 * 1024 * 1024) }]);
  let calls = 0;
  const hugeSent = new Set<string>();
  const started = Date.now();

  try {
    for (const [key, entry] of Object.entries(ACTION_MATRIX)) {
      const action = built.get(key)!;
      const pageUrl = actionPage(action.workers, key, samples);
      const context = entry.rule === "administerA" || entry.rule === "moderateA" ? owner : entry.rule === "public" ? null : superuser;
      // Signing out clears the caller's session: each call signs out a copy of it.
      const caller = async (): Promise<{ request: APIRequestContext; done: () => Promise<void> }> => {
        if (!entry.signsOut) return { request: context ? context.request : anonymous, done: async () => {} };
        const copy = await playwright.request.newContext({ baseURL, storageState: context ? await context.storageState() : undefined });
        return { request: copy, done: () => copy.dispose() };
      };
      const call = async (args: unknown[] | null, label: string) => {
        const before = await fingerprint();
        const { request, done } = await caller();
        const answer = await callAction(request, baseURL!, action.id, { pageUrl, ...(args ? { args } : { rawBody: huge }) });
        await done();
        calls++;
        const verdict = judge(answer, label);
        if (verdict === "refused") expect(changedTables(before, await fingerprint()), `${label}: refused, so nothing may change`).toEqual([]);
        return answer;
      };

      // The proxy refuses an oversized body before Next looks up the action, so one action per
      // kind of caller is enough (10 MB through Playwright's pipe costs about a second each).
      const kind = entry.input ? "list" : entry.rule;
      if (!hugeSent.has(kind)) {
        hugeSent.add(kind);
        const big = await call(null, `${key} with a 10 MB body`);
        expect(big.status, `${key} with a 10 MB body`).toBe(413);
      }
      await fc.assert(
        fc.asyncProperty(argumentsFor(entry, listRef), async (args) => {
          await call(args, `${key} ${JSON.stringify(args).slice(0, 200)}`);
        }),
        { numRuns: 3, seed: 20261201, endOnFailure: true },
      );
    }
  } finally {
    await closeFingerprint();
    await mailman.deleteList(listId).catch(() => {});
  }
  test.info().annotations.push({
    type: "calls",
    description: `${calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s; database ${fingerprintAvailable ? "checked after every refusal" : "not readable (PGlite)"}`,
  });
});
