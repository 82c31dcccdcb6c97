import { ACTION_MATRIX, ACTION_REFUSALS, ALLOWED, PERSONAS, type ActionEntry, type Persona } from "./access-matrix";
import { changedTables, closeFingerprint, fingerprint, fingerprintAvailable, settled } from "./db-fingerprint";
import { expect, test } from "./fixtures";
import { actionPage, isAnonymousFor, leaks, setUpPersonas } from "./personas";
import { builtActions, callAction, sortAnswer, type SafeAnswer } from "./server-actions";

/**
 * The access matrix's server actions (e2e/access-matrix.ts): every action, called over HTTP as
 * the browser calls it, by every persona. Each gets past the gate exactly when its rule admits it
 * (and then hears about its input, which no action takes), is refused with the gate's message
 * otherwise, no refusal carries data, and the database is unchanged after each action's round.
 * It reads the database between calls, so it runs alone (the "exclusive" project).
 */

/** Outside the gate's reach: the gate does not read it, and no action's schema takes a string. */
const NO_INPUT = "matrix: no action takes this";

function actionVerdict(entry: ActionEntry, persona: Persona, answer: SafeAnswer, status: number): string | null {
  if (status !== 200) return `HTTP ${status}`;
  if (answer.kind === "thrown") return `the action threw (${answer.detail})`;
  if (entry.answersNothing) return answer.kind === "nothing" ? null : `answered ${JSON.stringify(answer).slice(0, 200)}, expected nothing`;
  const refusal = answer.kind === "serverError" && [...ACTION_REFUSALS.signIn, ...ACTION_REFUSALS.other].includes(answer.message);
  if (ALLOWED[entry.rule].includes(persona)) {
    if (refusal) return `refused (${answer.message}), expected past the gate`;
    if (answer.kind === "serverError" && /Something went wrong on the server/.test(answer.message)) return `an unexpected error: ${answer.message}`;
    return null;
  }
  if (answer.kind !== "serverError") return `answered ${JSON.stringify(answer).slice(0, 200)}, expected a refusal`;
  const want = isAnonymousFor(persona, entry.rule) ? ACTION_REFUSALS.signIn : ACTION_REFUSALS.other;
  return want.includes(answer.message) ? null : `refused with "${answer.message}", expected one of ${JSON.stringify(want)}`;
}

test("every persona gets exactly what its role allows from every server action, called as the browser does, and a refusal changes nothing", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(600_000);
  const { samples, subject, requests, contexts } = await setUpPersonas(browser, playwright, baseURL!);
  const built = new Map(builtActions().map((a) => [a.key, a]));
  const failures: string[] = [];
  await settled();
  try {
    for (const [key, entry] of Object.entries(ACTION_MATRIX)) {
      const action = built.get(key);
      if (!action) {
        failures.push(`${key}: not in the build`);
        continue;
      }
      const pageUrl = actionPage(action.workers, key, samples);
      const before = await fingerprint();
      // The personas side by side (each has its own session); the fingerprint brackets the round.
      await Promise.all(
        PERSONAS.map(async (persona) => {
          // Signing out clears the caller's session cookie: sign out a copy of it.
          const copy = entry.signsOut ? await playwright.request.newContext({ baseURL, storageState: await contexts.get(persona)?.storageState() }) : null;
          const request = copy ?? requests.get(persona)!;
          const answer = await callAction(request, baseURL!, action.id, { pageUrl, args: [entry.input?.(samples) ?? NO_INPUT] });
          await copy?.dispose();
          const verdict = actionVerdict(entry, persona, sortAnswer(answer), answer.status);
          if (verdict) failures.push(`${persona} ${key} (on ${pageUrl}): ${verdict}`);
          if (!ALLOWED[entry.rule].includes(persona)) {
            for (const secret of leaks(answer.body, persona, subject)) failures.push(`${persona} ${key}: the refusal contains ${secret}`);
          }
        }),
      );
      for (const change of changedTables(before, await fingerprint())) failures.push(`${key}: the database changed (${change})`);
    }
  } finally {
    await closeFingerprint();
  }
  expect(failures).toEqual([]);
  test.info().annotations.push({ type: "database", description: fingerprintAvailable ? "checked unchanged after every action" : "PGlite: not readable beside the server, answers only" });
});
