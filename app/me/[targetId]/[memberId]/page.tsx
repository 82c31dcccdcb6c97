import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { NotFoundError } from "@/lib/errors";
import { deliveryModes } from "@/lib/mailman/schemas";
import { LEVEL_LABEL, loadSubscription, type LevelName } from "@/lib/self-service/subscription-details";
import { PreferenceSelect, SwitchAddressForm } from "./preference-controls";

export const metadata: Metadata = { title: "Subscription options" };

const LABELS: Record<string, string> = {
  delivery_mode: "Delivery mode",
  delivery_status: "Delivery",
  acknowledge_posts: "Acknowledge my posts",
  hide_address: "Hide my address from other members",
  receive_list_copy: "Receive a list copy when also addressed directly",
  receive_own_postings: "Receive my own posts",
  preferred_language: "Language",
};

const BOOL = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
];
const CHOICES: Record<string, { value: string; label: string }[]> = {
  delivery_mode: deliveryModes.map((m) => ({ value: m, label: m === "regular" ? "Each message" : m.replace(/_/g, " ") })),
  delivery_status: [
    { value: "enabled", label: "On" },
    { value: "by_user", label: "Off (paused by me)" },
  ],
  acknowledge_posts: BOOL,
  hide_address: BOOL,
  receive_list_copy: BOOL,
  receive_own_postings: BOOL,
  preferred_language: ["en", "de", "fr", "es", "it", "nl", "pt", "ja"].map((l) => ({ value: l, label: l })),
};

function show(key: string, value: unknown): string {
  if (value === undefined || value === null) return "—";
  const choice = CHOICES[key]?.find((c) => c.value === String(value));
  return choice?.label ?? String(value);
}

export default async function SubscriptionPage({ params, searchParams }: { params: Promise<{ targetId: string; memberId: string }>; searchParams: Promise<{ switched?: string }> }) {
  const { targetId: rawTarget, memberId } = await params;
  const targetId = Number(rawTarget);
  const viewer = await guardPage(requireViewer, `/me/${rawTarget}/${memberId}`);
  const details = await guardPage(async () => {
    if (!Number.isInteger(targetId) || targetId <= 0 || !/^[0-9a-f]{32}$/i.test(memberId)) throw new NotFoundError("No such subscription.");
    return loadSubscription(viewer, targetId, memberId);
  });
  const switched = (await searchParams).switched === "1";
  const levels: LevelName[] = ["subscription", "address", "account"];
  const current = details.via === "primary" ? "primary" : details.email;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Your subscription to ${details.listId}`}
        description={
          <>
            Delivered to {details.via === "primary" ? `your primary address (${details.email})` : details.email}. <Link href="/me" className="text-indigo-700">Back to My lists</Link>
          </>
        }
      />
      {switched ? <Alert tone="success">The subscription now goes to the address you chose; its options came along.</Alert> : null}
      <Card title="Address">
        <SwitchAddressForm
          targetId={targetId}
          memberId={memberId}
          current={current}
          choices={[{ value: "primary", label: `Primary address (${viewer.primaryEmail})` }, ...viewer.verifiedEmails.map((e) => ({ value: e, label: e }))]}
        />
      </Card>
      <Card title="Options" description="Each option comes from the first level that sets it: this subscription, then your address, then your account, then the server. Choose “inherit” to let a level pass the choice on.">
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="preferences">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="py-2">Option</th>
                <th>In effect</th>
                <th>This subscription</th>
                <th>Your address ({details.email})</th>
                <th>Your account</th>
              </tr>
            </thead>
            <tbody>
              {details.rows.map((row) => (
                <tr key={row.key} className="border-t border-slate-100 align-top" data-testid={`pref-${row.key}`}>
                  <td className="py-2 font-medium">{LABELS[row.key]}</td>
                  <td className="py-2" data-testid="effective">
                    {show(row.key, row.effective)}
                    <span className="block text-xs text-slate-500">{row.source === "system" ? "the server's default" : `set on ${LEVEL_LABEL[row.source]}`}</span>
                  </td>
                  {levels.map((level) => (
                    <td key={level} className="py-2">
                      <PreferenceSelect
                        targetId={targetId}
                        memberId={memberId}
                        level={level}
                        prefKey={row.key}
                        label={`${LABELS[row.key]} on ${LEVEL_LABEL[level]}`}
                        value={row.values[level] === undefined ? "inherit" : String(row.values[level])}
                        options={[{ value: "inherit", label: "inherit" }, ...(CHOICES[row.key] ?? [])]}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
