import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Alert } from "@/components/ui/alert";
import { currentViewer } from "@/lib/auth/guard";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { env } from "@/lib/env";
import { signUpAction } from "./actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await currentViewer()) redirect("/me");
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold">Create a Listkeeper account</h1>
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        {env.SIGNUP === "open" ? (
          <SimpleActionForm
            action={signUpAction}
            submitLabel="Create account"
            testId="signup-form"
            fields={[
              { name: "displayName", label: "Your name", autoComplete: "name" },
              { name: "email", label: "Email", type: "email", autoComplete: "email" },
              { name: "password", label: "Password", type: "password", autoComplete: "new-password", help: `At least ${MIN_PASSWORD_LENGTH} characters.` },
            ]}
          />
        ) : (
          <Alert tone="info">Sign-up is closed on this site. Ask a Listkeeper administrator for an account.</Alert>
        )}
      </div>
      <p className="mt-4 text-sm text-slate-600">
        Have an account? <Link href="/login" className="font-medium text-indigo-700">Sign in</Link>
      </p>
    </div>
  );
}
