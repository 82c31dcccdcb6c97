/**
 * A mail host as Mailman needs it: a DNS name of at least two labels. The core itself accepts
 * anything, including "bad domain" with a space, so Listkeeper checks before sending.
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function hostnameProblem(raw: string): string | null {
  const host = raw.trim().toLowerCase();
  if (host === "") return "Enter a domain name.";
  if (host.length > 253) return "A domain name has at most 253 characters.";
  if (/\s/.test(host)) return "A domain name cannot contain spaces.";
  const labels = host.split(".");
  if (labels.length < 2) return "Use a full domain name such as lists.example.org.";
  for (const label of labels) {
    if (label === "") return "A domain name cannot have empty parts (two dots in a row, or a leading or trailing dot).";
    if (!LABEL.test(label)) return `"${label}" is not a valid part of a domain name: use letters, digits and hyphens, not at the start or end.`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return "The last part of a domain name cannot be a number.";
  return null;
}

export function normaliseHostname(raw: string): string {
  return raw.trim().toLowerCase();
}
