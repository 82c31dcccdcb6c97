import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { MassRemovalForm, RemoveAllForm } from "./removal-forms";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/members/remove");
  return { title: `Remove members · ${list.display_name || list.fqdn_listname}` };
}

/** Mass removal and remove-all (console.md §3.5), each a background job with a report per address. */
export default async function RemoveMembersPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await loadListPage(targetId, listId, "administer", "/members/remove");
  const membersPath = listPath(access.target.id, access.list.list_id, "/members");
  let memberCount: number | null = null;
  let problem: string | null = null;
  try {
    memberCount = await access.client.rosterSize(access.list.list_id, "member");
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const backupHref = `${membersPath}/export`;
  return (
    <>
      <ListHeader access={access} current="members" />
      <p className="mb-4 text-sm">
        <Link href={membersPath} className="text-indigo-700 hover:underline">
          ← Members
        </Link>
      </p>
      <h2 className="mb-6 text-xl font-semibold text-slate-900">Remove members</h2>
      <div className="space-y-6">
        <MassRemovalForm targetId={access.target.id} listId={access.list.list_id} backupHref={backupHref} />
        {problem ? (
          <Alert tone="error" title="The Mailman core could not count the members">
            {problem}
          </Alert>
        ) : (
          <RemoveAllForm targetId={access.target.id} listId={access.list.list_id} memberCount={memberCount ?? 0} backupHref={backupHref} />
        )}
      </div>
    </>
  );
}
