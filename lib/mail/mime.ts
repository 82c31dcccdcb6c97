/**
 * A small MIME reader for showing held messages to moderators (console.md §3.7, §9 point 6).
 * Pure functions, no Node-only imports beyond Buffer: multipart trees, base64 and
 * quoted-printable, charsets through TextDecoder, RFC 2047 header words, RFC 2231 parameters.
 *
 * Everything here produces *text*. HTML parts are never returned as markup: they are reduced to
 * plain text by `htmlToText` (html-to-text), and the caller renders every string as text (React
 * escapes it).
 */
import { convert, type HtmlToTextOptions } from "html-to-text";
import { Parser } from "htmlparser2";

export interface MimeHeader {
  /** As written in the message (case preserved). */
  name: string;
  /** Unfolded and RFC 2047-decoded. */
  value: string;
}

export interface MimePart {
  headers: MimeHeader[];
  /** Lower-cased media type, `text/plain` when absent (RFC 2045). */
  mediaType: string;
  /** Lower-cased parameter names → decoded values, of Content-Type. */
  params: Record<string, string>;
  disposition: string | undefined;
  dispositionParams: Record<string, string>;
  /** Children of a multipart; empty for a leaf. */
  children: MimePart[];
  /** Raw body as a Latin-1 string (one character per byte), before transfer decoding. */
  body: string;
}

export interface AttachmentInfo {
  /** Position among the message's attachments, 0-based: the id used to download one. */
  index: number;
  filename: string;
  mediaType: string;
  /** Decoded size in bytes. */
  size: number;
}

export interface ReadableMessage {
  headers: MimeHeader[];
  /** The text to show: the text/plain parts, else the HTML parts reduced to text. */
  text: string;
  /** Where `text` came from: "html" means it is a plain-text rendering of an HTML part. */
  textSource: "plain" | "html" | "none";
  attachments: AttachmentInfo[];
}

const MAX_DEPTH = 20;

/** The message as bytes in a Latin-1 string. The core's JSON gives text: UTF-8 restores 8-bit bodies. */
function toByteString(raw: string | Uint8Array): string {
  return typeof raw === "string" ? Buffer.from(raw, "utf8").toString("latin1") : Buffer.from(raw).toString("latin1");
}

export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? "").trim().toLowerCase().replace(/^"|"$/g, "");
  try {
    return new TextDecoder(label === "" || label === "us-ascii" ? "utf-8" : label).decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 with replacement characters is the least surprising.
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function qpBytes(text: string, underscoreIsSpace: boolean): Buffer {
  const source = underscoreIsSpace ? text.replace(/_/g, " ") : text;
  return Buffer.from(source.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
}

/**
 * Drops spaces and tabs before each line break. A loop, not `[ \t]+(?=\n)`: a regex engine
 * that backtracks rescans a run of blanks from each of its characters (quadratic).
 */
function withoutTrailingBlanks(text: string): string {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length - 1; i++) {
    let line = lines[i]!;
    const cr = line.endsWith("\r");
    let end = cr ? line.length - 1 : line.length;
    while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
    line = line.slice(0, end) + (cr ? "\r" : "");
    lines[i] = line;
  }
  return lines.join("\n");
}

export function transferDecode(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    case "quoted-printable":
      // Trailing whitespace is transport padding; "=" at a line end is a soft break.
      return qpBytes(withoutTrailingBlanks(body).replace(/=\r?\n/g, ""), false);
    default:
      return Buffer.from(body, "latin1");
  }
}

/** Decodes RFC 2047 encoded words; whitespace between two adjacent encoded words is dropped. */
export function decodeHeaderWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?)/g, "$1")
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (_, charset: string, kind: string, text: string) => {
      const bytes = kind.toUpperCase() === "B" ? Buffer.from(text, "base64") : qpBytes(text, true);
      // RFC 2231 allows a language after "*": utf-8*en.
      return decodeCharset(bytes, charset.replace(/\*.*$/, ""));
    });
}

/** Splits `a; b="x;y"; c=d` on semicolons outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\" && quoted && i + 1 < value.length) {
      current += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, "$1");
  return v;
}

function percentBytes(text: string): Buffer {
  return Buffer.from(text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
}

/**
 * Parses a structured header (`text/plain; charset=utf-8`) into its value and parameters, with
 * RFC 2231 extended (`name*=utf-8''…`) and continued (`name*0*=…; name*1*=…`) parameters and
 * RFC 2047 words inside quoted values (which many mailers still send for file names).
 */
export function parseStructuredHeader(raw: string | undefined): { value: string; params: Record<string, string> } {
  if (!raw) return { value: "", params: {} };
  const [first = "", ...rest] = splitParams(raw);
  const simple: Record<string, string> = {};
  const continued: Record<string, { index: number; encoded: boolean; text: string }[]> = {};
  for (const piece of rest) {
    const eq = piece.indexOf("=");
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const text = unquote(piece.slice(eq + 1));
    const match = /^([^*]+)\*(?:(\d+)(\*)?|)$/.exec(key);
    if (match) {
      const [, name = "", index, star] = match;
      const entry = { index: index === undefined ? 0 : Number(index), encoded: index === undefined || star === "*", text };
      (continued[name] ??= []).push(entry);
    } else simple[key] = decodeHeaderWords(text);
  }
  const params: Record<string, string> = { ...simple };
  for (const [name, pieces] of Object.entries(continued)) {
    pieces.sort((a, b) => a.index - b.index);
    let charset: string | undefined;
    const bytes: Buffer[] = [];
    pieces.forEach((piece, i) => {
      let text = piece.text;
      if (piece.encoded && i === 0) {
        const m = /^([^']*)'[^']*'(.*)$/.exec(text);
        if (m) {
          charset = m[1] || undefined;
          text = m[2] ?? "";
        }
      }
      bytes.push(piece.encoded ? percentBytes(text) : Buffer.from(text, "latin1"));
    });
    params[name] = decodeCharset(Buffer.concat(bytes), charset);
  }
  return { value: first.trim().toLowerCase(), params };
}

function parseHeaderBlock(head: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    // Raw 8-bit header bytes are UTF-8 in practice (RFC 6532).
    const value = Buffer.from(line.slice(colon + 1).trim(), "latin1").toString("utf8");
    headers.push({ name: line.slice(0, colon).trim(), value: decodeHeaderWords(value) });
  }
  return headers;
}

export function headerValue(headers: readonly MimeHeader[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function parsePart(bytes: string, depth: number): MimePart {
  const separator = /\r?\n\r?\n/.exec(bytes);
  // A part that starts with a blank line has no headers.
  const startsBlank = /^\r?\n/.exec(bytes);
  const head = startsBlank ? "" : separator ? bytes.slice(0, separator.index) : bytes;
  const body = startsBlank ? bytes.slice(startsBlank[0].length) : separator ? bytes.slice(separator.index + separator[0].length) : "";
  const headers = parseHeaderBlock(head);
  const contentType = parseStructuredHeader(headerValue(headers, "content-type"));
  const disposition = parseStructuredHeader(headerValue(headers, "content-disposition"));
  const mediaType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(contentType.value) ? contentType.value : "text/plain";
  const part: MimePart = {
    headers,
    mediaType,
    params: contentType.params,
    disposition: disposition.value || undefined,
    dispositionParams: disposition.params,
    children: [],
    body,
  };
  const boundary = contentType.params.boundary;
  if (mediaType.startsWith("multipart/") && boundary && depth < MAX_DEPTH) {
    const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`, "g");
    let start: number | null = null;
    for (let m = delimiter.exec(body); m; m = delimiter.exec(body)) {
      if (start !== null) part.children.push(parsePart(body.slice(start, m.index), depth + 1));
      start = m.index + m[0].length;
      if (m[1]) {
        start = null;
        break;
      }
    }
    // A truncated message without the closing delimiter: keep the last part anyway.
    if (start !== null && start < body.length) part.children.push(parsePart(body.slice(start), depth + 1));
  }
  return part;
}

/** Parses a whole RFC 5322 message (text as the core returns it, or raw bytes). */
export function parseMime(raw: string | Uint8Array): MimePart {
  return parsePart(toByteString(raw), 0);
}

export function partBytes(part: MimePart): Buffer {
  return transferDecode(part.body, headerValue(part.headers, "content-transfer-encoding"));
}

export function partText(part: MimePart): string {
  return decodeCharset(partBytes(part), part.params.charset).replace(/\r\n/g, "\n");
}

function filenameOf(part: MimePart): string | undefined {
  return part.dispositionParams.filename || part.params.name || undefined;
}

/** Parts shown as the message text are inline text/plain or text/html without a file name. */
function isBodyText(part: MimePart): boolean {
  return (part.mediaType === "text/plain" || part.mediaType === "text/html") && part.disposition !== "attachment" && !filenameOf(part);
}

interface Walk {
  body: MimePart[];
  attachments: MimePart[];
}

function walk(part: MimePart, out: Walk): void {
  if (part.mediaType.startsWith("multipart/") && part.children.length > 0) {
    if (part.mediaType === "multipart/alternative") {
      // One rendering of the same content: prefer plain text, else the first HTML, else the first one.
      const preferred =
        part.children.find((c) => c.mediaType === "text/plain" && isBodyText(c)) ??
        part.children.find((c) => c.mediaType.startsWith("multipart/")) ??
        part.children.find((c) => c.mediaType === "text/html" && isBodyText(c)) ??
        part.children[0]!;
      walk(preferred, out);
      return;
    }
    for (const child of part.children) walk(child, out);
    return;
  }
  if (isBodyText(part)) out.body.push(part);
  else out.attachments.push(part);
}

const SAFE_NAME = /[^\p{L}\p{N} ._()+,=@~-]+/gu;

/** A file name safe for Content-Disposition and any file system: no paths, no control characters. */
export function safeFilename(name: string | undefined, index: number, mediaType: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(SAFE_NAME, "_").replace(/^[.\s]+/, "").trim().slice(0, 150);
  if (cleaned) return cleaned;
  const extension = mediaType === "message/rfc822" ? "eml" : mediaType.startsWith("text/") ? "txt" : "bin";
  return `attachment-${index + 1}.${extension}`;
}

function attachmentParts(root: MimePart): MimePart[] {
  const out: Walk = { body: [], attachments: [] };
  walk(root, out);
  return out.attachments;
}

/** Headers, displayable text and attachment list of a message. */
export function readMessage(raw: string | Uint8Array): ReadableMessage {
  const root = parseMime(raw);
  const out: Walk = { body: [], attachments: [] };
  walk(root, out);
  const plain = out.body.filter((p) => p.mediaType === "text/plain");
  const useHtml = plain.length === 0;
  const chosen = useHtml ? out.body.filter((p) => p.mediaType === "text/html") : plain;
  const text = chosen
    .map((p) => (useHtml ? htmlToText(partText(p)) : partText(p)))
    .join("\n\n")
    // Not `\s+$`: that rescans a long run of blanks from each of its characters.
    .trimEnd();
  return {
    headers: root.headers,
    text,
    textSource: chosen.length === 0 ? "none" : useHtml ? "html" : "plain",
    attachments: out.attachments.map((p, index) => ({
      index,
      filename: safeFilename(filenameOf(p), index, p.mediaType),
      mediaType: p.mediaType,
      size: partBytes(p).length,
    })),
  };
}

/** The decoded bytes of attachment `index` (as numbered by `readMessage`), or null. */
export function attachmentContent(raw: string | Uint8Array, index: number): { filename: string; mediaType: string; bytes: Buffer } | null {
  const part = attachmentParts(parseMime(raw))[index];
  if (!part) return null;
  return { filename: safeFilename(filenameOf(part), index, part.mediaType), mediaType: part.mediaType, bytes: partBytes(part) };
}

/**
 * HTML parts are parsed up to this many characters; the rest is dropped before parsing, with a
 * note in the text. 500,000 characters is far more than any real post's text and converts in
 * tens of milliseconds; a post held for being too big may be megabytes of markup.
 */
export const MAX_HTML_INPUT = 500_000;

/**
 * Elements nest at most this deep; the part is cut where markup goes deeper (browsers stop
 * nesting at 512). htmlparser2 keeps its open-element stack in an array it `unshift`s, so the
 * work grows with the square of the depth: 160,000 never-closed `<b>` took 16 s to parse.
 */
export const MAX_HTML_DEPTH = 400;

// Elements whose content is never text for a reader. <img> shows its alt text only: its source
// may be a data: URL of megabytes.
const SKIPPED = ["head", "title", "script", "style", "template", "noscript", "object", "embed", "iframe", "svg", "canvas", "audio", "video"];

const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  decodeEntities: true,
  limits: {
    // Room for the document wrappers above MAX_HTML_DEPTH; the converter's walk is recursive.
    maxDepth: MAX_HTML_DEPTH + 20,
    maxChildNodes: 50_000,
    maxInputLength: MAX_HTML_INPUT,
    ellipsis: "…",
  },
  formatters: {
    altText: (elem, _walk, builder) => {
      const alt = typeof elem.attribs?.alt === "string" ? elem.attribs.alt.trim() : "";
      if (alt) builder.addInline(alt);
    },
  },
  selectors: [
    ...SKIPPED.map((selector) => ({ selector, format: "skip" })),
    { selector: "img", format: "altText" },
    // Where a link really points, after its text, so that a moderator can spot a disguised one.
    { selector: "a", options: { linkBrackets: ["(", ")"], hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    // Mail layouts are tables: read them as rows of text rather than draw them.
    { selector: "table", format: "block" },
    { selector: "tr", format: "block" },
    { selector: "ul", options: { itemPrefix: "• " } },
  ],
};

/** Where the markup first nests deeper than MAX_HTML_DEPTH (one linear pass), or null. */
function depthCut(html: string): number | null {
  let depth = 0;
  let cut: number | null = null;
  const parser: Parser = new Parser(
    {
      onopentag() {
        depth += 1;
        if (depth > MAX_HTML_DEPTH && cut === null) {
          cut = parser.startIndex;
          parser.pause();
        }
      },
      onclosetag() {
        depth -= 1;
      },
    },
    { decodeEntities: false },
  );
  parser.write(html);
  if (cut === null) parser.end();
  return cut;
}

function sizeLabel(characters: number): string {
  return characters >= 1_000_000 ? `about ${(characters / 1_000_000).toFixed(1)} MB` : `about ${Math.max(1, Math.round(characters / 1000))} KB`;
}

/**
 * Reduces HTML to readable plain text with html-to-text (htmlparser2 underneath, no regular
 * expressions over the markup): drops scripts, styles and every tag, keeps line structure for
 * block elements and shows where links really point ("text (url)"). The work is bounded: at most
 * MAX_HTML_INPUT characters and MAX_HTML_DEPTH levels are parsed, and the text says what was
 * left out. The result is text, to be rendered escaped.
 */
export function htmlToText(html: string): string {
  let input = html.length > MAX_HTML_INPUT ? html.slice(0, MAX_HTML_INPUT) : html;
  let note: string | null = null;
  const cut = depthCut(input);
  if (cut !== null) {
    input = input.slice(0, cut);
    note = `[The rest of this HTML part (${sizeLabel(html.length - cut)}) is not shown: its elements nest more than ${MAX_HTML_DEPTH} deep.]`;
  } else if (input.length < html.length) {
    note = `[The rest of this HTML part (${sizeLabel(html.length - input.length)}) is not shown.]`;
  }
  const text = convert(input, HTML_TO_TEXT)
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return note ? `${text}\n\n${note}` : text;
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback and the RFC 5987 UTF-8 name, so that
 * no file name can break out of the header or make a browser render the content inline.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\;]/g, "_") || "attachment";
  const utf8 = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
