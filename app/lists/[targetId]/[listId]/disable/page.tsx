import type { Metadata } from "next";
import Link from "next/link";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { authorizeDisabledList } from "@/lib/auth/former-owner";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { openDisablement, previewEnable } from "@/lib/lists/disable";
import { MODE_LABEL } from "@/lib/lists/disable-plan";
import { parseListParams } from "@/lib/lists/list-page";
import { DisableForm, EnableForm } from "./disable-forms";
import { DateTime } from "@/components/ui/date-time";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<{ done?: string | string[] }>;

export const metadata: Metadata = { title: "Disable or archive" };


/**
 * Disable or archive a list in one step, and re-enable it (issue 11 item 3). Owners and
 * superusers; once disabled, also the owners recorded then (the core no longer names them).
 */
export default async function DisableListPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await guardPage(async () => authorizeDisabledList(await requireViewer(), targetId, listId), `/lists/${targetId}/${encodeURIComponent(listId)}/disable`);
  const { target, list } = access;
  const open = await openDisablement(target.id, list.list_id);
  const enablePreview = open ? await previewEnable(access) : null;
  const justEnabled = !open && (await searchParams).done === "enabled";

  return (
    <>
      <ListHeader access={access} current="overview" />
      <p className="mb-4 text-sm">
        <Link href={listPath(target.id, list.list_id)} className="text-indigo-700 hover:underline">
          ← Overview
        </Link>
      </p>
      <h2 className="mb-1 text-xl font-semibold text-slate-900">{open ? `${MODE_LABEL[open.mode]} list` : "Disable or archive"}</h2>
      {access.formerOwner ? (
        <p className="mb-4 max-w-3xl text-sm text-slate-600">You were an owner of this list when it was disabled, so you may re-enable it.</p>
      ) : null}
      <div className="space-y-6">
        {open ? (
          <>
            <Alert tone={open.state === "disabled" ? "info" : "warning"} title={statusTitle(open.state, open.mode)}>
              <p>
                Since <DateTime value={open.disabledAt} />. Owned meanwhile by <span className="font-mono">{open.placeholderOwner}</span>.
              </p>
              {open.error ? <p className="mt-1">Last run stopped: {open.error}</p> : null}
            </Alert>
            <EnableForm targetId={target.id} listId={list.list_id} preview={enablePreview!} canFinish={open.state !== "disabled"} />
          </>
        ) : (
          <>
          {justEnabled ? <Alert tone="success">The list is enabled again.</Alert> : null}
          <Card
            title="Stop the list in one step"
            description="Replaces the owners by the site's address for disabled lists, discards every post (members' and non-members'), bans every address from joining, and marks the description. Nothing is deleted; re-enabling restores what is there now."
          >
            <DisableForm targetId={target.id} listId={list.list_id} />
          </Card>
          </>
        )}
      </div>
    </>
  );
}

function statusTitle(state: string, mode: "disabled" | "archived"): string {
  const word = mode === "archived" ? "archived" : "disabled";
  if (state === "disabling") return `Being ${word}: the last run did not finish`;
  if (state === "enabling") return "Being re-enabled: the last run did not finish";
  return `This list is ${word}`;
}
