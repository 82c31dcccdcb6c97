/**
 * Listkeeper's own mail (sign-up, address verification, password reset): plain text first, with
 * a short HTML alternative. Pure, so that the wording and the escaping are unit-tested.
 */

export interface MailContent {
  subject: string;
  /** Paragraphs of plain text; each becomes a <p> in the HTML part. */
  paragraphs: string[];
  /** The one link the message is about. */
  action?: { label: string; url: string };
  /** A closing paragraph, e.g. why the reader got this mail. */
  footer?: string;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export function composeMail(content: MailContent): ComposedMail {
  const textParts = [...content.paragraphs];
  if (content.action) textParts.push(`${content.action.label}:\n${content.action.url}`);
  if (content.footer) textParts.push(`-- \n${content.footer}`);
  const htmlParts = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  if (content.action) {
    const url = escapeHtml(content.action.url);
    htmlParts.push(`<p><a href="${url}">${escapeHtml(content.action.label)}</a></p>`, `<p style="color:#555;font-size:small">${url}</p>`);
  }
  if (content.footer) htmlParts.push(`<p style="color:#555;font-size:small">${escapeHtml(content.footer)}</p>`);
  return {
    subject: content.subject.replace(/[\r\n]+/g, " "),
    text: `${textParts.join("\n\n")}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">${htmlParts.join("")}</body></html>`,
  };
}

/** A link into Listkeeper built from its public origin (AUTH_URL), never from a request's Host. */
export function appLink(origin: string, path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, `${origin.replace(/\/+$/, "")}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
