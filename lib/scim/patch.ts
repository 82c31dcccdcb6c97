import { patchBodyValidation, scimPatch, type ScimPatchOperation } from "scim-patch";
import { z } from "zod";
import { ScimProblem } from "./errors";
import { PATCH_OP_SCHEMA } from "./schemas";

/**
 * PATCH (RFC 7644 §3.5.2) as providers really send it, normalised, then applied by scim-patch to
 * the resource as SCIM shows it; the caller maps the result back to the registry.
 * - op names in any case ("Replace", "ADD"): lower-cased;
 * - `replace`/`add` without a path whose value is an object: kept, but keys that are paths
 *   themselves (Entra: `{"name.givenName": "A", "emails[type eq \"work\"].value": "x"}`) become
 *   one operation each;
 * - `active` as the string "True"/"False" (Entra): a boolean;
 * - `members` removals with a value list (Entra) become one filter-path removal per value, the
 *   form Okta sends (`members[value eq "…"]`).
 */

const operation = z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }).loose();
export const patchInput = z.object({ schemas: z.array(z.string()).optional(), Operations: z.array(operation).min(1, "Operations is empty").max(1000) }).loose();

const SIMPLE_KEY = /^[A-Za-z][\w$-]*$/;

function boolish(value: unknown): unknown {
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return value;
}

function fixActive(path: string | undefined, value: unknown): unknown {
  if (path !== undefined && path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, "").toLowerCase() === "active") return boolish(value);
  if (path === undefined && value && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const k of Object.keys(out)) if (k.toLowerCase() === "active") out[k] = boolish(out[k]);
    return out;
  }
  return value;
}

export function normaliseOperations(body: unknown): ScimPatchOperation[] {
  const parsed = patchInput.safeParse(body);
  if (!parsed.success) throw new ScimProblem(400, `Not a PatchOp message: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}`, "invalidSyntax");
  const out: ScimPatchOperation[] = [];
  for (const raw of parsed.data.Operations) {
    const op = raw.op.toLowerCase();
    if (op !== "add" && op !== "replace" && op !== "remove") throw new ScimProblem(400, `Unknown PATCH op "${raw.op}".`, "invalidSyntax");
    const path = raw.path?.trim() || undefined;
    if (op === "remove") {
      if (!path) throw new ScimProblem(400, "A remove operation needs a path.", "noTarget");
      // Entra: {"op":"Remove","path":"members","value":[{"value":"id"}]}. scim-patch compares whole
      // objects, and a member as shown also has display, type and $ref: remove by value instead.
      if (SIMPLE_KEY.test(path) && Array.isArray(raw.value) && raw.value.every((v) => v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string")) {
        for (const v of raw.value as { value: string }[]) out.push({ op, path: `${path}[value eq ${JSON.stringify(v.value)}]` });
        continue;
      }
      out.push({ op, path, ...(raw.value !== undefined ? { value: raw.value } : {}) } as ScimPatchOperation);
      continue;
    }
    if (!path && raw.value && typeof raw.value === "object" && !Array.isArray(raw.value)) {
      const plain: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw.value as Record<string, unknown>)) {
        if (SIMPLE_KEY.test(k)) plain[k] = v;
        else out.push({ op, path: k, value: fixActive(k, v) } as ScimPatchOperation);
      }
      if (Object.keys(plain).length > 0) out.unshift({ op, value: fixActive(undefined, plain) } as ScimPatchOperation);
      continue;
    }
    out.push({ op, ...(path ? { path } : {}), value: fixActive(path, raw.value) } as ScimPatchOperation);
  }
  patchBodyValidation({ schemas: [PATCH_OP_SCHEMA], Operations: out });
  return out;
}

/** The resource after the operations (a copy; `meta` is not the provider's to change). */
export function applyPatch<T extends object>(resource: T, body: unknown): T {
  const operations = normaliseOperations(body);
  const { meta: _meta, ...rest } = resource as T & { meta?: unknown };
  void _meta;
  return scimPatch(rest as never, operations, { mutateDocument: false, treatMissingAsAdd: true }) as T;
}
