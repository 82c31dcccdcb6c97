/**
 * What Mailman 3.3.8's subscription workflow (mailman/app/subscriptions.py) will do with a new
 * address, from the list's `subscription_policy` and the mass-subscribe options. The steps, in
 * the core's order: an invitation is sent as such; an unverified address without pre-verified
 * gets a confirmation e-mail; `open` subscribes; `confirm` and `confirm_then_moderate` send a
 * confirmation unless pre-confirmed; `moderate` and `confirm_then_moderate` wait for a moderator
 * unless pre-approved.
 */
export type SubscriptionPolicy = "open" | "confirm" | "moderate" | "confirm_then_moderate";

export type NewAddressFate = "subscribe" | "confirm" | "approve" | "invite";

export interface PredictionOptions {
  preVerified: boolean;
  preConfirmed: boolean;
  preApproved: boolean;
  invitation: boolean;
}

export function isSubscriptionPolicy(value: unknown): value is SubscriptionPolicy {
  return value === "open" || value === "confirm" || value === "moderate" || value === "confirm_then_moderate";
}

export function predictNewAddress(policy: SubscriptionPolicy, options: PredictionOptions, addressVerified: boolean): NewAddressFate {
  if (options.invitation) return "invite";
  if (!addressVerified && !options.preVerified) return "confirm";
  if (policy === "open") return "subscribe";
  if (policy === "moderate") return options.preApproved ? "subscribe" : "approve";
  if (!options.preConfirmed) return "confirm";
  if (policy === "confirm_then_moderate" && !options.preApproved) return "approve";
  return "subscribe";
}
