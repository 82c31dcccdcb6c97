import pino from "pino";
import { env } from "@/lib/env";

/**
 * Server log. Credentials can appear in objects that get logged by accident (a target row, an
 * Authorization header), so these paths are always redacted.
 */
/**
 * pino's error serializer, without the values of a failed query: drizzle puts them in the
 * error's message ("Failed query: … params: …") and in `params`, and they can be a password hash,
 * a token hash or a sealed secret as easily as an address.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return withoutQueryValues(pino.stdSerializers.err(error));
}

function withoutQueryValues(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== "object" || depth > 5) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ["message", "stack"]) {
    if (typeof out[key] === "string") out[key] = (out[key] as string).replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, "\nparams: [redacted]");
  }
  if ("params" in out) out.params = "[redacted]";
  if (out.cause) out.cause = withoutQueryValues(out.cause, depth + 1);
  return out;
}

export const logger = pino({
  level: env.LOG_LEVEL,
  serializers: { err: serializeError },
  redact: {
    paths: [
      "password",
      "*.password",
      "adminPassword",
      "*.adminPassword",
      "adminPasswordEnc",
      "*.adminPasswordEnc",
      "passwordHash",
      "*.passwordHash",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "*.headers.authorization",
    ],
    censor: "[redacted]",
  },
});
