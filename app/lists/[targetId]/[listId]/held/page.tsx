import type { Metadata } from "next";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { loadListPage, loadListPageData, parseListParams } from "@/lib/lists/list-page";
import { listPageReads } from "@/lib/lists/page-reads";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import type { HeldPage } from "@/lib/moderation/held";
import { parseHeldPageQuery } from "@/lib/moderation/held-input";
import { heldNoticeText, parseHeldNotice } from "@/lib/moderation/held-notice";
import { HeldQueue } from "./held-queue";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "moderate", "/held");
  return { title: `Held messages · ${list.display_name || list.fqdn_listname}` };
}

export default async function HeldMessagesPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  const query = await searchParams;
  const { page } = parseHeldPageQuery(query);
  const { access, data } = await loadListPageData(targetId, listId, "moderate", "/held", listPageReads.held(page));
  // What was just decided on a message's own page, which came back here to say so.
  const notice = parseHeldNotice(query);
  const noticeText = notice ? heldNoticeText(notice) : null;
  let held: HeldPage | null = null;
  let problem: string | null = null;
  try {
    held = await data;
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }

  return (
    <>
      <ListHeader access={access} current="held" />
      <section aria-labelledby="held-heading" className="space-y-3">
        <h2 id="held-heading" className="text-base font-semibold text-slate-900">
          Held messages
        </h2>
        <p className="text-sm text-slate-600">
          Posts the list&apos;s rules held for a moderator. Open one to read it safely (text only; attachments are listed, never opened in the browser).
        </p>
        {notice && noticeText ? (
          <Alert tone={noticeText.tone} title={notice.subject ? `“${notice.subject}”` : undefined}>
            <span data-testid="held-notice">{noticeText.text}</span>
          </Alert>
        ) : null}
        {problem ? (
          <Alert tone="error" title="The Mailman core could not list the held messages">
            {problem}
          </Alert>
        ) : held ? (
          <HeldQueue
            targetId={access.target.id}
            listId={access.list.list_id}
            basePath={listPath(access.target.id, access.list.list_id, "/held")}
            held={held}
          />
        ) : null}
      </section>
    </>
  );
}
