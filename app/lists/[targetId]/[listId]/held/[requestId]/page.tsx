import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Card, EmptyState } from "@/components/ui/card";
import { permits } from "@/lib/auth/roles";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { loadHeldMessage, type HeldMessageView } from "@/lib/moderation/held";
import { HeldMessageActions } from "./held-message-actions";
import { DateTime } from "@/components/ui/date-time";

type Params = Promise<{ targetId: string; listId: string; requestId: string }>;

function parseRequestId(raw: string): number {
  if (!/^\d{1,12}$/.test(raw)) notFound();
  return Number(raw);
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  const { list } = await loadListPage(targetId, listId, "moderate", `/held/${raw.requestId}`);
  return { title: `Held message · ${list.display_name || list.fqdn_listname}` };
}

const KEY_HEADERS = ["from", "to", "cc", "reply-to", "date", "subject", "message-id"];

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export default async function HeldMessagePage({ params }: { params: Params }) {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  const requestId = parseRequestId(raw.requestId);
  const access = await loadListPage(targetId, listId, "moderate", `/held/${requestId}`);
  const queuePath = listPath(access.target.id, access.list.list_id, "/held");
  let message: HeldMessageView | null = null;
  let problem: string | null = null;
  try {
    message = await loadHeldMessage(access.client, access.list.list_id, requestId);
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const facts = { isSuperuser: access.viewer.isSuperuser, roles: access.roles, advertised: Boolean(access.list.advertised) };
  const back = (
    <p className="mb-4 text-sm">
      <Link href={queuePath} className="text-indigo-700 hover:underline">
        ← Back to held messages
      </Link>
    </p>
  );

  return (
    <>
      <ListHeader access={access} current="held" />
      {back}
      {problem ? (
        <Alert tone="error" title="The Mailman core could not load this message">
          {problem}
        </Alert>
      ) : !message ? (
        <EmptyState title="This message is no longer held">Someone already accepted, rejected or discarded it.</EmptyState>
      ) : (
        <div className="space-y-6">
          <Card title={message.subject || "(no subject)"}>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium text-slate-600">Sender</dt>
              <dd className="font-mono break-all" data-testid="held-sender">{message.sender || "—"}</dd>
              <dt className="font-medium text-slate-600">Held</dt>
              <dd><DateTime value={message.holdDate} /></dd>
              <dt className="font-medium text-slate-600">Why</dt>
              <dd>
                <ul data-testid="held-reasons">
                  {(message.reasons.length ? message.reasons : [message.reason || "—"]).map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              </dd>
              {message.size !== null ? (
                <>
                  <dt className="font-medium text-slate-600">Size</dt>
                  <dd>{formatBytes(message.size)}</dd>
                </>
              ) : null}
            </dl>
          </Card>

          <HeldMessageActions
            targetId={access.target.id}
            listId={access.list.list_id}
            requestId={requestId}
            subject={message.subject}
            sender={message.sender}
            queuePath={queuePath}
            canBan={permits(facts, "administer")}
          />

          <Card title="Headers">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              {message.headers
                .filter((h) => KEY_HEADERS.includes(h.name.toLowerCase()))
                .map((h, i) => (
                  <div key={i} className="contents">
                    <dt className="font-medium text-slate-600">{h.name}</dt>
                    <dd className="break-all">{h.value}</dd>
                  </div>
                ))}
            </dl>
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-indigo-700">All {message.headers.length} headers</summary>
              <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-all">
                {message.headers.map((h) => `${h.name}: ${h.value}`).join("\n")}
              </pre>
            </details>
          </Card>

          <Card title="Message">
            {message.textSource === "html" ? (
              <Alert tone="info" className="mb-3">
                This message has only an HTML part. It is shown as plain text: no formatting, images, scripts or remote content were loaded. Links are shown with their real address.
              </Alert>
            ) : null}
            {message.textSource === "none" ? (
              <p className="text-sm text-slate-600">This message has no text part. See the attachments below.</p>
            ) : (
              <pre data-testid="held-text" className="max-h-[32rem] overflow-auto rounded bg-slate-50 p-3 font-mono text-sm whitespace-pre-wrap break-words">
                {message.text || "(empty)"}
              </pre>
            )}
          </Card>

          <Card title="Attachments" description="Downloaded as files, never opened in the browser. Open them only if you trust the sender.">
            {message.attachments.length === 0 ? (
              <p className="text-sm text-slate-600">None.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm">
                {message.attachments.map((a) => (
                  <li key={a.index} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      <span className="font-medium break-all">{a.filename}</span> <span className="text-slate-500">({a.mediaType}, {formatBytes(a.size)})</span>
                    </span>
                    {/* A plain link: the route answers with an attachment download, never inline content. */}
                    <a href={`${queuePath}/${requestId}/attachments/${a.index}`} className="text-indigo-700 hover:underline" download={a.filename}>
                      Download
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
