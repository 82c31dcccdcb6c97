import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { Suspense } from "react";
import { listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { findPerson, findPersonDetails, type PersonFinding, type PersonMembership } from "@/lib/people/find-everywhere";
import { parsePersonQuery, personSearchSchema } from "@/lib/people/person-query";
import { listTargets } from "@/lib/targets/targets";
import { DateTime } from "@/components/ui/date-time";
import { recentRemoveEverywhereJobs } from "@/lib/people/remove-everywhere-store";
import { RemoveEverywhere } from "./remove-everywhere";

export const metadata: Metadata = { title: "Find a person" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const control =
  "block rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

const ROLE_LABEL: Record<string, string> = { owner: "Owner", moderator: "Moderator", member: "Member", nonmember: "Non-member (has posted)" };
const DELIVERY_MODE: Record<string, string> = { regular: "Regular", mime_digests: "MIME digest", plaintext_digests: "Plain digest", summary_digests: "Summary digest" };
const DELIVERY_STATUS: Record<string, string> = {
  enabled: "Enabled",
  by_user: "Stopped by the member",
  by_bounces: "Stopped by bounces",
  by_moderator: "Stopped by a moderator",
  unknown: "Unknown",
};

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const date = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")}` : "—");

/**
 * Find a person everywhere (issue 11 item 1, superusers): every membership, role and setting of
 * an address (and the other addresses of its core user) on every Mailman server, then held posts,
 * pending requests and bans. The search answers first; the details stream in below it.
 */
export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  await guardPage(requireSuperuser, "/admin/people");
  const raw = await searchParams;
  const params = personSearchSchema.parse({ q: first(raw.q) ?? "", scan: first(raw.scan) === "all" ? "all" : "lists", target: first(raw.target) || undefined });
  const targets = await listTargets();
  const parsed = params.q.trim() ? parsePersonQuery(params.q) : null;
  const finding = parsed && "query" in parsed ? await findPerson(parsed.query, { targetIds: params.target ? [params.target] : undefined }) : null;

  return (
    <>
      <PageHeader title="Find a person" description="Every list, role and pending matter of an address on every Mailman server Listkeeper knows." />
      <Form action="/admin/people" role="search" className="mb-6 flex flex-wrap items-end gap-3">
        <div className="min-w-72 flex-1 space-y-1">
          <label htmlFor="person-q" className="block text-sm font-medium text-slate-800">
            Address, pattern or name
          </label>
          <input
            // A new search (a link to an address below) must show its own text: remount the field.
            key={params.q}
            id="person-q"
            name="q"
            type="search"
            defaultValue={params.q}
            maxLength={300}
            placeholder="jane@example.org, *@example.org or Jane Doe"
            className={`${control} w-full font-mono`}
            aria-describedby="person-q-help"
          />
          <p id="person-q-help" className="text-xs text-slate-500">
            An address shows everything about it and the other addresses of the same person; a pattern (with *) or a name lists the matching addresses.
          </p>
        </div>
        {targets.length > 1 ? (
          <div className="space-y-1">
            <label htmlFor="person-target" className="block text-sm font-medium text-slate-800">
              Server
            </label>
            <select id="person-target" name="target" defaultValue={params.target ? String(params.target) : ""} className={control}>
              <option value="">All servers</option>
              {targets.map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="scan" value="all" defaultChecked={params.scan === "all"} />
          Also check every list for requests and bans
        </label>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
          Find
        </button>
      </Form>

      {parsed && "problem" in parsed ? <Alert tone="error">{parsed.problem}</Alert> : null}
      {!parsed ? (
        <EmptyState title="Look someone up">
          <p>Type an address to see every list it is on, across all servers, with what is pending and what refuses it.</p>
        </EmptyState>
      ) : null}
      {finding ? <Results finding={finding} scanAll={params.scan === "all"} targetId={params.target} /> : null}
    </>
  );
}

function Results({ finding, scanAll, targetId }: { finding: PersonFinding; scanAll: boolean; targetId?: number }) {
  const memberships = finding.servers.flatMap((s) => s.memberships.map((m) => ({ ...m, targetName: s.targetName })));
  const problems = finding.servers.filter((s) => s.problem);
  return (
    <div className="space-y-6">
      {problems.map((s) => (
        <Alert key={s.targetId} tone="warning" title={`${s.targetName} could not be searched`}>
          {s.problem} The other servers are shown.
        </Alert>
      ))}
      {finding.query.kind === "address" ? <PersonCards finding={finding} /> : null}
      {memberships.length === 0 ? (
        <EmptyState title={`“${finding.query.text}” is on no list`}>
          <p>No membership, ownership or moderation on {finding.servers.length === 1 ? "the server" : `any of the ${finding.servers.length} servers`} searched.</p>
        </EmptyState>
      ) : (
        <MembershipTable memberships={memberships} linkAddresses={finding.query.kind !== "address"} />
      )}
      {finding.query.kind === "address" && memberships.length > 0 ? (
        <Card title="Remove everywhere" description="Unsubscribe this address from every list at once, as a tracked job with a report per list.">
          <RemoveEverywhere
            address={finding.query.address}
            otherAddresses={finding.addresses.filter((a) => finding.query.kind === "address" && a !== finding.query.address)}
            targetId={targetId}
          />
          <RecentRemovals address={finding.query.address} />
        </Card>
      ) : null}
      {finding.query.kind === "address" ? (
        <Suspense fallback={<p className="text-sm text-slate-600" role="status">Checking held messages, pending requests and bans…</p>}>
          <Details finding={finding} scanAll={scanAll} />
        </Suspense>
      ) : null}
    </div>
  );
}

async function RecentRemovals({ address }: { address: string }) {
  const jobs = await recentRemoveEverywhereJobs(address);
  if (jobs.length === 0) return null;
  return (
    <div className="mt-4 border-t border-slate-100 pt-3 text-sm">
      <h3 className="font-medium text-slate-900">Earlier removals of this address</h3>
      <ul className="mt-1 space-y-0.5">
        {jobs.map((job) => (
          <li key={job.id}>
            <Link href={`/admin/people/jobs/${job.id}`} className="text-indigo-700 hover:underline">
              Job {job.id}
            </Link>{" "}
            ({job.status === "done" ? "finished" : job.status}), started <DateTime value={job.createdAt} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonCards({ finding }: { finding: PersonFinding }) {
  const withUser = finding.servers.filter((s) => s.user);
  if (withUser.length === 0) {
    return <Alert tone="info">No Mailman user owns this address on the servers searched (the address may still be subscribed on its own).</Alert>;
  }
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {withUser.map((s) => (
        <Card key={s.targetId} title={`Mailman user on ${s.targetName}`} description={s.user!.displayName ?? "No display name"}>
          <p className="mb-2 font-mono text-xs text-slate-500">User id {s.user!.userId}</p>
          <ul className="space-y-1 text-sm">
            {s.user!.addresses.map((a) => (
              <li key={a.email} className="flex flex-wrap items-center gap-2">
                <span className="font-mono">{a.email}</span>
                {a.verified ? <Badge tone="emerald">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
                <span className="text-xs text-slate-500">registered {date(a.registeredOn)}</span>
              </li>
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}

function MembershipTable({ memberships, linkAddresses }: { memberships: (PersonMembership & { targetName: string })[]; linkAddresses: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Memberships found, {memberships.length} in all</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">List</th>
            <th scope="col" className="px-3 py-2">Server</th>
            <th scope="col" className="px-3 py-2">Role</th>
            <th scope="col" className="px-3 py-2">Subscribed address</th>
            <th scope="col" className="px-3 py-2">Delivery</th>
            <th scope="col" className="px-3 py-2">Moderation</th>
            <th scope="col" className="px-3 py-2 text-right">Bounce score</th>
            <th scope="col" className="px-3 py-2">Subscribed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {memberships.map((m) => (
            <tr key={`${m.targetId}:${m.memberId}`} data-testid="membership-row">
              <td className="px-3 py-2">
                <Link href={listPath(m.targetId, m.listId)} className="font-mono text-indigo-700 hover:underline">
                  {m.listId}
                </Link>
              </td>
              <td className="px-3 py-2 text-slate-700">{m.targetName}</td>
              <td className="px-3 py-2">
                <Badge tone={m.role === "owner" || m.role === "moderator" ? "indigo" : m.role === "member" ? "emerald" : "slate"}>{ROLE_LABEL[m.role] ?? m.role}</Badge>
              </td>
              <td className="px-3 py-2">
                {linkAddresses ? (
                  <Link href={`/admin/people?q=${encodeURIComponent(m.email)}`} className="font-mono text-indigo-700 hover:underline">
                    {m.email}
                  </Link>
                ) : (
                  <span className="font-mono">{m.email}</span>
                )}
                {m.displayName ? <span className="block text-xs text-slate-500">{m.displayName}</span> : null}
                <span className="block text-xs text-slate-500">{m.subscriptionMode === "as_user" ? "via the user's preferred address" : null}</span>
              </td>
              <td className="px-3 py-2 text-slate-700">{m.role === "member" ? (DELIVERY_MODE[m.deliveryMode ?? ""] ?? m.deliveryMode ?? "—") : "—"}</td>
              <td className="px-3 py-2 text-slate-700">{m.moderationAction ?? "list default"}</td>
              <td className="px-3 py-2 text-right tabular-nums text-slate-700">{m.bounceScore ?? 0}</td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {m.subscribedByListkeeperAt ? <><DateTime value={m.subscribedByListkeeperAt} /> (Listkeeper)</> : <span title="Mailman core does not record when a membership began">not recorded</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function Details({ finding, scanAll }: { finding: PersonFinding; scanAll: boolean }) {
  const servers = await findPersonDetails(finding, { scanAll });
  const memberships = new Map(finding.servers.flatMap((s) => s.memberships.map((m) => [`${s.targetId}:${m.memberId}`, m] as const)));
  return (
    <div className="space-y-4" data-testid="person-details">
      {servers.map((s) => {
        const statuses = Object.entries(s.deliveryStatus);
        return (
          <Card
            key={s.targetId}
            title={`Held, pending and banned on ${s.targetName}`}
            description={`${s.listsChecked} ${s.listsChecked === 1 ? "list" : "lists"} checked${s.scannedAllLists ? " (every list of the server)" : " (the lists the person is on)"}.`}
          >
            {s.problem ? <Alert tone="warning">{s.problem}</Alert> : null}
            <div className="space-y-3 text-sm">
              <section>
                <h3 className="font-medium text-slate-900">Delivery status</h3>
                {statuses.length === 0 ? (
                  <p className="text-slate-600">No member subscriptions.</p>
                ) : (
                  <ul className="mt-1 space-y-0.5">
                    {statuses.map(([memberId, status]) => (
                      <li key={memberId}>
                        <span className="font-mono">{memberships.get(`${s.targetId}:${memberId}`)?.listId}</span>: {DELIVERY_STATUS[status] ?? status}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section>
                <h3 className="font-medium text-slate-900">Site-wide bans</h3>
                {s.globalBans.length === 0 ? (
                  <p className="text-slate-600">None matches.</p>
                ) : (
                  <ul className="mt-1 space-y-0.5">
                    {s.globalBans.map((b) => (
                      <li key={`${b.entry}:${b.address}`}>
                        <span className="font-mono">{b.entry}</span> {b.unchecked ? "(a pattern Listkeeper cannot check; it may match)" : `refuses ${b.address}`}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section>
                <h3 className="font-medium text-slate-900">Lists with held posts, pending requests or bans</h3>
                {s.lists.length === 0 ? (
                  <p className="text-slate-600">Nothing held, pending or banned.</p>
                ) : (
                  <ul className="mt-1 space-y-2">
                    {s.lists.map((l) => (
                      <li key={l.listId} data-testid="person-list-detail">
                        <Link href={listPath(s.targetId, l.listId)} className="font-mono text-indigo-700 hover:underline">
                          {l.listId}
                        </Link>
                        <ul className="ml-4 list-disc space-y-0.5 text-slate-700">
                          {l.held.map((h) => (
                            <li key={h.requestId}>
                              Held post from {h.sender}: “{h.subject ?? "(no subject)"}” since {date(h.holdDate)}{" "}
                              <Link href={listPath(s.targetId, l.listId, `/held/${h.requestId}`)} className="text-indigo-700 underline">
                                open
                              </Link>
                            </li>
                          ))}
                          {l.requests.map((r) => (
                            <li key={r.token}>
                              Pending {r.type ?? "request"} of {r.email} since {date(r.when)}, waiting for {r.tokenOwner === "moderator" ? "a moderator" : r.tokenOwner === "subscriber" ? "the subscriber's confirmation" : "nobody"}
                            </li>
                          ))}
                          {l.bans.map((b) => (
                            <li key={`${b.entry}:${b.address}`}>
                              List ban <span className="font-mono">{b.entry}</span> {b.unchecked ? "(a pattern Listkeeper cannot check; it may match)" : `refuses ${b.address}`}
                            </li>
                          ))}
                          {l.problems.map((p) => (
                            <li key={p} className="text-amber-800">
                              Could not read {p}
                            </li>
                          ))}
                        </ul>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
          </Card>
        );
      })}
    </div>
  );
}
