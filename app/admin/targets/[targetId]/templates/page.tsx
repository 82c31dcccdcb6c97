import type { Metadata } from "next";
import { TargetBreadcrumb } from "@/components/target-breadcrumb";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { clientForTarget } from "@/lib/targets/targets";
import { templateInfo, templatesForScope } from "@/lib/templates/catalogue";
import { sampleVariables, templateHistory, templateOverview, type TemplateOwner } from "@/lib/templates/templates";
import { TemplateEditor } from "../../../../lists/[targetId]/[listId]/templates/template-editor";
import { EndpointNotice, TemplateIndex } from "../../../../lists/[targetId]/[listId]/templates/template-index";

export const metadata: Metadata = { title: "Domain and site templates" };

type SearchParams = Promise<{ level?: string | string[]; name?: string | string[] }>;

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function LevelTemplatesPage({ params, searchParams }: { params: Promise<{ targetId: string }>; searchParams: SearchParams }) {
  const { targetId } = await params;
  const id = /^\d{1,9}$/.test(targetId) ? Number(targetId) : 0;
  const { target, client } = await guardPage(async () => {
    await requireSuperuser();
    if (!id) throw new NotFoundError("No such server.");
    return clientForTarget(id);
  }, `/admin/targets/${targetId}/templates`);

  let domains: string[] = [];
  let domainsProblem: string | null = null;
  try {
    domains = (await client.allDomains()).map((d) => d.mail_host).sort();
  } catch (error) {
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    domainsProblem = error.userMessage;
  }

  const query = await searchParams;
  // "site" or "domain:<mail_host>"; the server's own domain when nothing is chosen.
  const level = one(query.level) ?? (domains.includes(target.domain) ? `domain:${target.domain}` : "site");
  const mailHost = level.startsWith("domain:") ? level.slice("domain:".length) : null;
  const validLevel = level === "site" || (mailHost !== null && domains.includes(mailHost));
  const owner: TemplateOwner = mailHost ? { targetId: id, scope: "domain", scopeId: mailHost } : { targetId: id, scope: "site", scopeId: "" };
  const requested = one(query.name);
  const selected = requested && templatesForScope(owner.scope).some((t) => t.name === requested) ? requested : undefined;

  const [overview, history] = validLevel
    ? await Promise.all([templateOverview(client, owner), selected ? templateHistory(owner, selected) : Promise.resolve([])])
    : [null, []];
  const state = selected ? overview?.templates.find((t) => t.info.name === selected) : undefined;
  const info = selected ? templateInfo(selected) : undefined;
  const base = `/admin/targets/${id}/templates?level=${encodeURIComponent(level)}`;
  const levelLabel = mailHost ? `domain ${mailHost}` : "the whole site";

  return (
    <div className="space-y-6">
      <TargetBreadcrumb target={target} />
      <PageHeader
        title={`Templates of ${target.name}`}
        description="Domain templates apply to every list of the domain, site templates to every domain, unless a list or domain sets its own."
      />

      <form method="get" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="template-level" className="block text-sm font-medium text-slate-800">
            Level
          </label>
          <select
            id="template-level"
            name="level"
            defaultValue={level}
            className="block rounded-md bg-white px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
          >
            <option value="site">Site (all domains)</option>
            {domains.map((d) => (
              <option key={d} value={`domain:${d}`}>
                Domain {d}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </form>

      {domainsProblem ? <Alert tone="error" title="The Mailman core did not list its domains">{domainsProblem}</Alert> : null}
      {!validLevel ? <Alert tone="error">That domain does not exist on this server.</Alert> : null}
      {overview ? <EndpointNotice baseUrl={overview.baseUrl} /> : null}
      {requested && !selected ? <Alert tone="error">&quot;{requested}&quot; is not a template name.</Alert> : null}

      {overview ? (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <TemplateIndex overview={overview} hrefFor={(name) => `${base}&name=${encodeURIComponent(name)}`} current={selected} />
          <div>
            {state && info ? (
              <TemplateEditor
                key={`${level}:${selected}`}
                target={{ kind: "level", targetId: id, scope: owner.scope === "domain" ? "domain" : "site", scopeId: owner.scopeId }}
                name={info.name}
                label={info.label}
                description={info.description}
                defaultText={info.defaultText}
                messageVariables={info.messageVariables}
                savedText={state.text}
                publishedText={state.publishedText}
                publishedAt={state.publishedAt?.toISOString() ?? null}
                core={state.core}
                variables={sampleVariables(mailHost ?? target.domain)}
                variablesNote={`With example values for a list "yourlist" of ${levelLabel}; each list gets its own.`}
                history={history.map((r) => ({ id: r.id, action: r.action, text: r.text, at: r.at.toISOString(), actor: r.actor }))}
                publishBlocked={overview.baseUrl ? null : "Publishing is disabled: no TEMPLATE_BASE_URL or AUTH_URL is configured."}
              />
            ) : (
              <Alert tone="info">Choose a template to edit it for {levelLabel}.</Alert>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}
