import type { Metadata } from "next";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Alert } from "@/components/ui/alert";
import { peekToken } from "@/lib/accounts/tokens";
import { confirmAddressAction } from "../signup/actions";

export const metadata: Metadata = { title: "Confirm your address" };

// Opening the link changes nothing: mail scanners fetch links too. The button confirms.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = (await searchParams).token ?? "";
  const pending = token ? await peekToken("verify_email", token) : null;
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Confirm your address</h1>
      {pending ? (
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <p className="mb-4 text-sm text-slate-700">Confirm that {pending.email} is yours.</p>
          <SimpleActionForm action={confirmAddressAction} hidden={{ token }} fields={[]} refreshOnSuccess={false} submitLabel={`Confirm ${pending.email}`} />
        </div>
      ) : (
        <Alert tone="error">This link does not work any more: it was used, it expired, or it was replaced by a newer one.</Alert>
      )}
    </div>
  );
}
