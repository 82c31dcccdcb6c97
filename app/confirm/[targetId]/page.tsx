import type { Metadata } from "next";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Alert } from "@/components/ui/alert";
import { peekConfirmation } from "@/lib/self-service/anonymous";
import { confirmSubscriptionAction } from "../../subscribe/[targetId]/[listId]/actions";

export const metadata: Metadata = { title: "Confirm your subscription" };

// The link from the core's confirmation mail. Opening it changes nothing (mail scanners open
// links too); the button confirms.
export default async function ConfirmPage({ params, searchParams }: { params: Promise<{ targetId: string }>; searchParams: Promise<{ list?: string; token?: string }> }) {
  const { targetId } = await params;
  const { list = "", token = "" } = await searchParams;
  const pending = await peekConfirmation({ targetId, list, token }).catch(() => null);
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-bold">Confirm your subscription</h1>
      {pending ? (
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <p className="mb-4 text-sm text-slate-700">
            Subscribe {pending.email} to {pending.listId}?
          </p>
          <SimpleActionForm action={confirmSubscriptionAction} hidden={{ targetId, list, token }} fields={[]} refreshOnSuccess={false} submitLabel="Confirm subscription" />
        </div>
      ) : (
        <Alert tone="error">This confirmation link does not work any more: it was used or it expired.</Alert>
      )}
    </div>
  );
}
