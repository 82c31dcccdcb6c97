import pino from "pino";
import { env } from "@/lib/env";

/**
 * Server log. Credentials can appear in objects that get logged by accident (a target row, an
 * Authorization header), so these paths are always redacted.
 */
export const logger = pino({
  level: env.LOG_LEVEL,
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
