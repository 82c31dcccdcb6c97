"use client";

import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

export interface ActionFailureShape {
  message: string;
  field?: string;
}

export interface SafeActionResultShape<D> {
  data?: D;
  serverError?: ActionFailureShape;
  validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };
}

/**
 * Puts a server action's errors where the user looks: next to the field they concern when the
 * server names one that is on the form, otherwise in the form's banner. Returns the banner text.
 */
export function applyActionErrors<T extends FieldValues>(
  result: SafeActionResultShape<unknown> | undefined,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): string | null {
  if (!result) return "No answer from the server. Check your connection and try again.";
  let banner: string | null = null;
  if (result.validationErrors) {
    const { formErrors = [], fieldErrors = {} } = result.validationErrors;
    for (const [field, messages] of Object.entries(fieldErrors)) {
      const message = messages?.[0];
      if (!message) continue;
      if (fields.includes(field)) setError(field as Path<T>, { type: "server", message });
      else banner = `${field}: ${message}`;
    }
    if (formErrors[0]) banner = formErrors[0];
    banner ??= Object.keys(fieldErrors).length > 0 && !banner ? null : banner;
  }
  if (result.serverError) {
    const { field, message } = result.serverError;
    if (field && fields.includes(field)) setError(field as Path<T>, { type: "server", message });
    else banner = message;
  }
  return banner;
}

export const OFFLINE_MESSAGE = "The request did not reach the server. Check your connection and try again; what you entered is still here.";

/** The first problem of a server action's result, for forms that are not react-hook-form ones. */
export function actionProblem(result: SafeActionResultShape<unknown> | undefined): ActionFailureShape | null {
  if (!result) return { message: OFFLINE_MESSAGE };
  if (result.serverError) return result.serverError;
  for (const [field, messages] of Object.entries(result.validationErrors?.fieldErrors ?? {})) if (messages?.[0]) return { field, message: messages[0] };
  const form = result.validationErrors?.formErrors?.[0];
  return form ? { message: form } : null;
}
