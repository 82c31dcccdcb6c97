import type { Metadata } from "next";
import Link from "next/link";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Alert } from "@/components/ui/alert";
import { peekToken } from "@/lib/accounts/tokens";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { resetPasswordAction } from "../signup/actions";

export const metadata: Metadata = { title: "Set a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = (await searchParams).token ?? "";
  const pending = token ? await peekToken("reset_password", token) : null;
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Set a new password</h1>
      {pending ? (
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <SimpleActionForm
            action={resetPasswordAction}
            hidden={{ token }}
            refreshOnSuccess={false}
            submitLabel="Set password"
            fields={[{ name: "password", label: "New password", type: "password", autoComplete: "new-password", help: `At least ${MIN_PASSWORD_LENGTH} characters.` }]}
          />
          <p className="mt-4 text-sm"><Link href="/login" className="font-medium text-indigo-700">Sign in</Link></p>
        </div>
      ) : (
        <Alert tone="error">
          This link does not work any more: it was used, it expired, or it was replaced by a newer one. <Link href="/forgot-password">Ask for a new one</Link>.
        </Alert>
      )}
    </div>
  );
}
