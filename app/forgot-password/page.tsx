import type { Metadata } from "next";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { requestResetAction } from "../signup/actions";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold">Set a new password</h1>
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <p className="mb-4 text-sm text-slate-700">We mail a link to set a new password to the address of your account.</p>
        <SimpleActionForm action={requestResetAction} submitLabel="Mail me a link" fields={[{ name: "email", label: "Email", type: "email", autoComplete: "email" }]} />
      </div>
    </div>
  );
}
