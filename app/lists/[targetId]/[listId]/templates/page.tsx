import type { Metadata } from "next";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { templateInfo, templatesForScope } from "@/lib/templates/catalogue";
import { listTemplateVariables, templateHistory, templateOverview, type TemplateOwner } from "@/lib/templates/templates";
import { TemplateEditor } from "./template-editor";
import { EndpointNotice, TemplateIndex } from "./template-index";

type Params = Promise<{ targetId: string; listId: string }>;
type SearchParams = Promise<{ name?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/templates");
  return { title: `Templates · ${list.display_name || list.fqdn_listname}` };
}

async function variablesFor(access: Awaited<ReturnType<typeof loadListPage>>): Promise<Record<string, string>> {
  try {
    return await listTemplateVariables(access.client, access.list.list_id);
  } catch (error) {
    if (error instanceof MailmanError || error instanceof MailmanTransportError) return {};
    throw error;
  }
}

export default async function ListTemplatesPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { targetId, listId } = parseListParams(await params);
  const access = await loadListPage(targetId, listId, "administer", "/templates");
  const { list, target } = access;
  const owner: TemplateOwner = { targetId: target.id, scope: "list", scopeId: list.list_id };
  const raw = (await searchParams).name;
  const requested = typeof raw === "string" ? raw : undefined;
  const selected = requested && templatesForScope("list").some((t) => t.name === requested) ? requested : undefined;

  const [overview, variables, history] = await Promise.all([
    templateOverview(access.client, owner),
    selected ? variablesFor(access) : Promise.resolve({}),
    selected ? templateHistory(owner, selected) : Promise.resolve([]),
  ]);
  const state = selected ? overview.templates.find((t) => t.info.name === selected) : undefined;
  const info = selected ? templateInfo(selected) : undefined;
  const hrefFor = (name: string) => `${listPath(target.id, list.list_id, "/templates")}?name=${encodeURIComponent(name)}`;

  return (
    <>
      <ListHeader access={access} current="templates" />
      <div className="space-y-6">
        <EndpointNotice baseUrl={overview.baseUrl} />
        {requested && !selected ? <Alert tone="error">&quot;{requested}&quot; is not a list template.</Alert> : null}
        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <TemplateIndex overview={overview} hrefFor={hrefFor} current={selected} />
          <div>
            {state && info ? (
              <TemplateEditor
                key={selected}
                target={{ kind: "list", targetId: target.id, listId: list.list_id }}
                name={info.name}
                label={info.label}
                description={info.description}
                defaultText={info.defaultText}
                messageVariables={info.messageVariables}
                savedText={state.text}
                publishedText={state.publishedText}
                publishedAt={state.publishedAt?.toISOString() ?? null}
                core={state.core}
                variables={variables}
                variablesNote={
                  Object.keys(variables).length > 0
                    ? `With this list's values; per-message variables stay as written.`
                    : "The core did not give this list's values; variables stay as written."
                }
                history={history.map((r) => ({ id: r.id, action: r.action, text: r.text, at: r.at.toISOString(), actor: r.actor }))}
                publishBlocked={overview.baseUrl ? null : "Publishing is disabled: no TEMPLATE_BASE_URL or AUTH_URL is configured."}
              />
            ) : (
              <Alert tone="info">Choose a template to see its text, preview it with this list&apos;s values, and publish it.</Alert>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
