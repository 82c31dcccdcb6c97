import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { siteStatus, WORKER_STALE_AFTER_MS, type WorkerState } from "@/lib/ops/status";

export const metadata: Metadata = { title: "Status" };

const WORKER_TONE: Record<WorkerState, "emerald" | "amber" | "slate"> = { alive: "emerald", "not responding": "amber", stopped: "slate" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-[14rem_1fr]">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** Superusers: is everything running? This build, the database, the job workers, the queue, each Mailman server. */
export default async function StatusPage() {
  const status = await guardPage(async () => {
    await requireSuperuser();
    return siteStatus();
  }, "/admin/status");
  const { app, database, workers, queue, servers } = status;
  const alive = workers.filter((w) => w.state === "alive").length;
  const waiting = queue.reduce((n, q) => n + q.unfinished, 0);
  const migrations = database.readiness.checks.migrations;

  return (
    <div className="space-y-6">
      <PageHeader title="Status" description="This installation as it is now. Reload the page to read it again." />
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Listkeeper">
          <dl className="divide-y divide-slate-100">
            <Row label="Version">{app.version}</Row>
            <Row label="Build">{app.buildId ? <span className="font-mono">{app.buildId}</span> : "Development server (no production build)"}</Row>
            <Row label="Node.js">{app.node}</Row>
            <Row label="This process started">
              <DateTime value={app.startedAt} />
            </Row>
          </dl>
        </Card>
        <Card title="Database">
          <dl className="divide-y divide-slate-100">
            <Row label="State">
              <Badge tone={database.readiness.checks.database === "ok" ? "emerald" : "red"}>{database.readiness.checks.database === "ok" ? "Answering" : "Not answering"}</Badge>
            </Row>
            <Row label="Engine">
              {database.engine}
              {database.serverVersion ? ` ${database.serverVersion}` : ""}
            </Row>
            <Row label="Round trip">{database.latencyMs === null ? "—" : `${database.latencyMs} ms`}</Row>
            <Row label="Migrations">
              {migrations.applied ?? "?"} of {migrations.expected} applied
              {migrations.state === "ok" ? null : (
                <span className="ml-2">
                  <Badge tone="red">Run npm run db:migrate</Badge>
                </span>
              )}
            </Row>
          </dl>
        </Card>
      </div>

      <Card
        title="Job workers"
        description={`${alive} alive. Workers run mass subscriptions, removals and provisioning; without one, jobs wait. A worker silent for ${WORKER_STALE_AFTER_MS / 1000} s is shown as not responding.`}
      >
        {workers.length === 0 ? (
          <p className="text-sm text-slate-600">No worker has run in the last 24 hours. Start one with <span className="font-mono">npm run worker</span>.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Job workers">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">Worker</th>
                  <th scope="col" className="py-2 pr-4">State</th>
                  <th scope="col" className="py-2 pr-4">Runs</th>
                  <th scope="col" className="py-2 pr-4">Started</th>
                  <th scope="col" className="py-2 pr-4">Last heartbeat</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {workers.map((w) => (
                  <tr key={w.id}>
                    <td className="py-2 pr-4 font-mono text-xs">
                      {w.hostname} · pid {w.pid}
                    </td>
                    <td className="py-2 pr-4">
                      <Badge tone={WORKER_TONE[w.state]}>{w.state === "alive" ? "Alive" : w.state === "stopped" ? "Stopped" : "Not responding"}</Badge>
                    </td>
                    <td className="py-2 pr-4">{w.placement === "inline" ? "Inside the app" : "Own process"}</td>
                    <td className="py-2 pr-4">
                      <DateTime value={w.startedAt} />
                    </td>
                    <td className="py-2 pr-4">
                      <DateTime value={w.stoppedAt ?? w.lastSeenAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title="Queue" description={waiting === 0 ? "Nothing is waiting." : `${waiting} job${waiting === 1 ? "" : "s"} queued or running.`}>
        <dl className="divide-y divide-slate-100">
          {queue.map((q) => (
            <Row key={q.kind} label={q.kind.charAt(0).toUpperCase() + q.kind.slice(1) + "s"}>
              <span data-testid={`queue-${q.kind.replace(/\s+/g, "-")}`}>{q.unfinished}</span> queued or running
            </Row>
          ))}
        </dl>
      </Card>

      <Card title="Mailman servers">
        {servers.length === 0 ? (
          <p className="text-sm text-slate-600">
            No server yet. <Link href="/admin/targets/new" className="text-indigo-700 hover:underline">Add a Mailman server</Link>.
          </p>
        ) : (
          <dl className="divide-y divide-slate-100">
            {servers.map((s) => (
              <Row key={s.id} label={s.name}>
                {s.problem ? (
                  <Badge tone="red">{s.problem}</Badge>
                ) : (
                  <>
                    Mailman {s.mailmanVersion?.replace(/^GNU Mailman\s*/, "")} · REST API {s.apiVersion}
                  </>
                )}
              </Row>
            ))}
          </dl>
        )}
      </Card>
    </div>
  );
}
