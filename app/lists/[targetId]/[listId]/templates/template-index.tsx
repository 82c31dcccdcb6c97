import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge, Card } from "@/components/ui/card";
import { TEMPLATE_GROUPS } from "@/lib/templates/catalogue";
import type { TemplateOverview, TemplateState } from "@/lib/templates/templates";

function status(t: TemplateState) {
  if (t.core === null) return <Badge tone="amber">Unknown</Badge>;
  if (t.core.kind === "other") return <Badge tone="amber">Set outside Listkeeper</Badge>;
  if (t.core.kind === "listkeeper") {
    return t.publishedText !== null && t.publishedText === t.text ? <Badge tone="emerald">Published</Badge> : <Badge tone="amber">Newer text saved</Badge>;
  }
  return t.text !== null ? <Badge tone="indigo">Saved, not published</Badge> : <Badge>Default</Badge>;
}

/** Where the core fetches from, and what happens when it cannot. */
export function EndpointNotice({ baseUrl }: { baseUrl: string | null }) {
  if (!baseUrl) {
    return (
      <Alert tone="warning" title="Publishing is disabled">
        Set <span className="font-mono">TEMPLATE_BASE_URL</span> (or <span className="font-mono">AUTH_URL</span>) to the address at which the
        Mailman core reaches Listkeeper and restart. Texts can still be edited and saved.
      </Alert>
    );
  }
  return (
    <Alert tone="info" title="How the core gets these texts">
      <p>
        Publishing points the core at <span className="break-all font-mono">{baseUrl}/api/templates/…</span> with credentials only that core
        knows; nobody else can read the texts. The core caches a text for up to 7 days and fetches it again when you publish.
      </p>
      <p className="mt-1">
        That address must be reachable from the core&apos;s host. While a published template cannot be fetched, the core holds outgoing mail
        for the lists that use it; reset the template (or fix the address) to release it.
      </p>
    </Alert>
  );
}

export function TemplateIndex({ overview, hrefFor, current }: { overview: TemplateOverview; hrefFor: (name: string) => string; current?: string }) {
  return (
    <div className="space-y-4">
      {overview.coreProblem ? (
        <Alert tone="error" title="The Mailman core did not say which templates it uses">
          {overview.coreProblem}
        </Alert>
      ) : null}
      {TEMPLATE_GROUPS.map((group) => {
        const items = overview.templates.filter((t) => t.info.group === group.key);
        if (items.length === 0) return null;
        return (
          <Card key={group.key} title={group.title} description={group.description}>
            <ul className="divide-y divide-slate-100">
              {items.map((t) => (
                <li key={t.info.name} className="flex flex-wrap items-start justify-between gap-2 py-2" data-template={t.info.name}>
                  <div className="min-w-0">
                    <Link
                      href={hrefFor(t.info.name)}
                      aria-current={current === t.info.name ? "page" : undefined}
                      className="font-medium text-indigo-700 hover:underline aria-[current=page]:font-bold"
                    >
                      {t.info.label}
                    </Link>
                    <p className="text-xs text-slate-500">
                      <span className="font-mono">{t.info.name}</span> — {t.info.description}
                    </p>
                  </div>
                  {status(t)}
                </li>
              ))}
            </ul>
          </Card>
        );
      })}
    </div>
  );
}
