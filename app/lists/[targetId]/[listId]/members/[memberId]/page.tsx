import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ListHeader, listPath } from "@/components/list-header";
import { Alert } from "@/components/ui/alert";
import { Badge, Card } from "@/components/ui/card";
import { NotFoundError } from "@/lib/errors";
import { loadListPage, parseListParams } from "@/lib/lists/list-page";
import { MailmanError, MailmanTransportError } from "@/lib/mailman";
import { loadMember, type MemberDetail } from "@/lib/members/member";
import { INHERIT, LABELS, label, type PreferencesForm } from "@/lib/members/member-input";
import { rosterSearchParams } from "@/lib/members/roster";
import { ChangeAddressForm, ModerationForm, PreferencesEditor, UnsubscribeButton } from "./member-forms";

type Params = Promise<{ targetId: string; listId: string; memberId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { targetId, listId } = parseListParams(await params);
  const { list } = await loadListPage(targetId, listId, "administer", "/members");
  return { title: `Member · ${list.display_name || list.fqdn_listname}` };
}

function formValues(own: MemberDetail["own"]): PreferencesForm {
  const tri = (v: boolean | undefined) => (v === undefined ? INHERIT : v ? "true" : "false");
  return {
    delivery_mode: own.delivery_mode ?? INHERIT,
    // "unknown" cannot be chosen by an owner; shown as inherit so the form still saves.
    delivery_status: own.delivery_status && own.delivery_status !== "unknown" ? own.delivery_status : INHERIT,
    acknowledge_posts: tri(own.acknowledge_posts),
    hide_address: tri(own.hide_address),
    receive_list_copy: tri(own.receive_list_copy),
    receive_own_postings: tri(own.receive_own_postings),
    preferred_language: own.preferred_language ?? INHERIT,
  };
}

/** One membership: moderation, preferences with "inherit", address switch, unsubscribe (console.md §3.6). */
export default async function MemberPage({ params }: { params: Params }) {
  const raw = await params;
  const { targetId, listId } = parseListParams(raw);
  const access = await loadListPage(targetId, listId, "administer", "/members");
  let detail: MemberDetail | null = null;
  let problem: string | null = null;
  try {
    detail = await loadMember(access, raw.memberId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    if (!(error instanceof MailmanError || error instanceof MailmanTransportError)) throw error;
    problem = error.userMessage;
  }
  const rosterPath = listPath(access.target.id, access.list.list_id, "/members");
  const ref = { targetId: access.target.id, listId: access.list.list_id, memberId: raw.memberId };

  return (
    <>
      <ListHeader access={access} current="members" />
      {problem || !detail ? (
        <Alert tone="error" title="The Mailman core could not load this member">
          {problem}
        </Alert>
      ) : (
        <MemberView detail={detail} rosterPath={rosterPath} memberRef={ref} />
      )}
    </>
  );
}

function MemberView({ detail, rosterPath, memberRef }: { detail: MemberDetail; rosterPath: string; memberRef: { targetId: number; listId: string; memberId: string } }) {
  const { member, own, effective } = detail;
  const role = member.role ?? "member";
  const back = `${rosterPath}${role === "member" ? "" : `?${rosterSearchParams({ role }).toString()}`}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={back} className="text-indigo-700 hover:underline">
          ← {LABELS.role[role]}
        </Link>
      </p>
      <Card>
        <h2 className="text-lg font-semibold text-slate-900" data-testid="member-address">
          {member.display_name ? `${member.display_name} ` : ""}
          <span className="font-mono">&lt;{member.email}&gt;</span>
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-500">Role</dt>
            <dd>
              <Badge>{role}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Delivery status</dt>
            <dd>{label(LABELS.deliveryStatus, effective.delivery_status)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Bounce score</dt>
            <dd className="tabular-nums">{member.bounce_score ?? 0}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Subscribed as</dt>
            <dd>{member.subscription_mode === "as_user" ? "The account's primary address" : "This address"}</dd>
          </div>
        </dl>
      </Card>
      {role === "member" || role === "nonmember" ? (
        <ModerationForm memberRef={memberRef} current={member.moderation_action ?? "default"} />
      ) : null}
      <PreferencesEditor memberRef={memberRef} values={formValues(own)} effective={effective} bouncing={own.delivery_status === "by_bounces"} />
      {member.subscription_mode === "as_address" && role === "member" ? <ChangeAddressForm memberRef={memberRef} current={member.email ?? ""} /> : null}
      {role === "member" || role === "nonmember" ? <UnsubscribeButton memberRef={memberRef} email={member.email ?? ""} role={role} rosterPath={back} /> : null}
    </div>
  );
}
