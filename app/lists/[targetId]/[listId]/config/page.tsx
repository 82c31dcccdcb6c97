import type { Metadata } from "next";
import { ListHeader, listPath } from "@/components/list-header";
import { Card } from "@/components/ui/card";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { listTargets } from "@/lib/targets/targets";
import { CopyConfigForm, ImportConfigForm } from "./config-forms";

type Params = Promise<{ targetId: string; listId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/config");
  return { title: `Configuration · ${list.display_name || list.fqdn_listname}` };
}

/** Configuration as code (issue 11 item 6): export, import with a preview, copy to other lists. */
export default async function ListConfigPage({ params }: { params: Params }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await loadListPage(targetId, listId, "administer", "/config");
  const servers = (await listTargets()).map((t) => ({ id: t.id, name: t.name }));
  const { target, list } = access;
  return (
    <>
      <ListHeader access={access} current="config" />
      <div className="space-y-6">
        <Card
          title="Export"
          description="Settings, header filters, bans, templates, owners and moderators as one JSON file (format listkeeper/list-config, version 1). No members, no passwords."
        >
          <a href={listPath(target.id, list.list_id, "/config/export")} className="text-sm font-medium text-indigo-700 hover:underline" download>
            Download the configuration (JSON)
          </a>
        </Card>
        <ImportConfigForm targetId={target.id} listId={list.list_id} />
        <CopyConfigForm targetId={target.id} listId={list.list_id} servers={servers} />
      </div>
    </>
  );
}
