import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { ComposedMail } from "./compose";

/**
 * The one mailer of Listkeeper's own mail, configured by SMTP_URL and MAIL_FROM. The demo and the
 * tests point SMTP_URL at the local core's SMTP sink, so every message can be read back.
 */

export class MailNotConfiguredError extends AppError {
  constructor() {
    super("Listkeeper cannot send mail: SMTP_URL is not set. Ask the site's administrator.");
  }
}

let transport: Transporter | undefined;
let transportUrl: string | undefined;

function transporter(url: string): Transporter {
  if (!transport || transportUrl !== url) {
    transport = nodemailer.createTransport(url);
    transportUrl = url;
  }
  return transport;
}

export function mailConfigured(): boolean {
  return Boolean(env.SMTP_URL);
}

/** Sends one message; the address goes to the log, the content (with its single-use link) never. */
export async function sendMail(to: string, mail: ComposedMail, options: { smtpUrl?: string } = {}): Promise<void> {
  const url = options.smtpUrl ?? env.SMTP_URL;
  if (!url) throw new MailNotConfiguredError();
  await transporter(url).sendMail({ from: env.MAIL_FROM, to, subject: mail.subject, text: mail.text, html: mail.html });
  logger.info({ to, subject: mail.subject }, "mail sent");
}
