import { z } from "zod";
import { parseIpRange, type IpRange } from "@/lib/validation/ip-address";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** When set, Listkeeper uses this PostgreSQL server; when unset, embedded PGlite. */
  DATABASE_URL: optionalString,
  /** PGlite data directory, or "memory" for a throwaway in-memory database. */
  PGLITE_DIR: z.string().default(".data/pglite"),
  /** 32 bytes, base64: the AES-256-GCM key that encrypts Mailman REST passwords at rest. */
  LISTKEEPER_SECRET_KEY: optionalString,
  AUTH_OIDC_ISSUER: optionalString,
  AUTH_OIDC_CLIENT_ID: optionalString,
  AUTH_OIDC_CLIENT_SECRET: optionalString,
  AUTH_OIDC_NAME: z.string().default("Single sign-on"),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  MAILMAN_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  MAILMAN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** The longest wait the per-account slow-down puts before a sign-in attempt. */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(0).max(60).default(15),
  /**
   * Reverse proxies whose X-Forwarded-For Listkeeper believes: addresses or CIDR ranges, comma-
   * separated ("127.0.0.1, ::1, 10.0.0.0/8"). Unset: none; the client is whoever connected.
   */
  TRUSTED_PROXIES: optionalString.transform((value, ctx): IpRange[] => {
    const ranges: IpRange[] = [];
    for (const item of (value ?? "").split(",").map((v) => v.trim()).filter(Boolean)) {
      const range = parseIpRange(item);
      if (range) ranges.push(range);
      else ctx.addIssue({ code: "custom", message: `"${item}" is not an IP address or CIDR range` });
    }
    return ranges;
  }),
  /**
   * The base URL at which the Mailman core reaches Listkeeper's template endpoint, e.g.
   * http://localhost:3000. Unset: AUTH_URL; neither set: templates cannot be published.
   */
  TEMPLATE_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /**
   * The address that owns a list while it is disabled or archived (lib/lists/disable.ts). Unset:
   * the core's own `[mailman] site_owner`.
   */
  DISABLED_LIST_OWNER: optionalString.pipe(z.email().optional()),
  /** Outgoing mail of Listkeeper itself (sign-up, password reset): smtp://host:port or smtps://user:pass@host. */
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  /** The From: of Listkeeper's own mail. */
  MAIL_FROM: z.string().default("Listkeeper <listkeeper@localhost>"),
  /** "open": anyone may create a member account at /signup; "closed": only superusers create accounts. */
  SIGNUP: z.enum(["open", "closed"]).default("closed"),
  /** How long links in verification and password-reset mail stay valid. */
  MAIL_TOKEN_TTL_MINUTES: z.coerce.number().int().min(5).max(10_080).default(1440),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

function parseEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();

/** Where the core fetches published templates from (lib/templates/templates.ts), or undefined. */
export const templateBaseUrl: string | undefined = env.TEMPLATE_BASE_URL ?? (optionalString.parse(process.env.AUTH_URL) || undefined);

/** Listkeeper's public origin, for links in mail (AUTH_URL; the dev server's origin when unset). */
export const appUrl: string = (optionalString.parse(process.env.AUTH_URL) ?? "http://localhost:3000").replace(/\/+$/, "");

/** Cookies of our own get `Secure` when the app is served over HTTPS. */
export const secureCookies: boolean = (optionalString.parse(process.env.AUTH_URL) ?? "").startsWith("https://");

export const oidcEnabled = Boolean(env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET);
