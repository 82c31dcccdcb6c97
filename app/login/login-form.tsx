"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { signInAction } from "./actions";

const formSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address."),
  password: z.string().min(1, "Enter your password."),
});
type FormValues = z.infer<typeof formSchema>;

export function LoginForm({ callbackUrl }: { callbackUrl?: string }) {
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: { email: "", password: "" } });
  const { executeAsync, isPending } = useAction(signInAction);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    const result = await executeAsync({ ...values, callbackUrl });
    // On success the action redirects and this component goes away.
    if (result?.serverError || result?.validationErrors) setBanner(applyActionErrors(result, form.setError, ["email", "password"]));
  });

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <TextField label="Email" type="email" autoComplete="username" autoFocus {...form.register("email")} error={form.formState.errors.email?.message} />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        {...form.register("password")}
        error={form.formState.errors.password?.message}
      />
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <Button type="submit" pending={isPending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
