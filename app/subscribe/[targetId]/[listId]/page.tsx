import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { currentViewer } from "@/lib/auth/guard";
import { issueFormStamp } from "@/lib/self-service/anonymous";
import { clientForTarget } from "@/lib/targets/targets";
import Link from "next/link";
import { anonymousSubscribeAction } from "./actions";

export const metadata: Metadata = { title: "Subscribe" };

/** A list's public page: advertised lists only; anyone may ask to subscribe. */
export default async function PublicListPage({ params }: { params: Promise<{ targetId: string; listId: string }> }) {
  const { targetId: rawTarget, listId: rawList } = await params;
  const targetId = Number(rawTarget);
  const listId = decodeURIComponent(rawList);
  if (!Number.isInteger(targetId) || targetId <= 0) notFound();
  const list = await clientForTarget(targetId)
    .then(({ client }) => client.getList(listId))
    .catch(() => null);
  if (!list?.advertised) notFound();
  const viewer = await currentViewer();
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-bold">{list.display_name ?? list.list_name}</h1>
      <p className="text-sm text-slate-600">{list.fqdn_listname}</p>
      {list.description ? <p className="text-slate-700">{list.description}</p> : null}
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        {viewer ? (
          <p className="text-sm text-slate-700">
            You are signed in: subscribe in one click from <Link href="/me" className="font-medium text-indigo-700">My lists</Link>.
          </p>
        ) : (
          <>
            <h2 className="mb-3 font-semibold">Subscribe</h2>
            <SimpleActionForm
              action={anonymousSubscribeAction}
              hidden={{ targetId: String(targetId), listId: list.list_id, stamp: issueFormStamp() }}
              submitLabel="Subscribe"
              testId="anonymous-subscribe"
              fields={[
                { name: "email", label: "Email", type: "email", autoComplete: "email" },
                { name: "displayName", label: "Your name (optional)", autoComplete: "name" },
              ]}
              honeypot="website"
            />
            <p className="mt-3 text-xs text-slate-500">The list mails you a link to confirm. Nothing happens until you open it.</p>
          </>
        )}
      </div>
    </div>
  );
}
