import { describe, expect, it } from "vitest";
import { predictNewAddress, type PredictionOptions, type SubscriptionPolicy } from "./subscribe-prediction";

const all: PredictionOptions = { preVerified: true, preConfirmed: true, preApproved: true, invitation: false };

describe("predictNewAddress (3.3.8's subscription workflow)", () => {
  it.each<[SubscriptionPolicy, Partial<PredictionOptions>, boolean, string]>([
    ["open", {}, false, "subscribe"],
    ["moderate", {}, false, "subscribe"],
    ["moderate", { preApproved: false }, false, "approve"],
    ["confirm", { preConfirmed: false }, false, "confirm"],
    ["confirm", { preApproved: false }, false, "subscribe"],
    ["confirm_then_moderate", { preApproved: false }, false, "approve"],
    ["confirm_then_moderate", { preConfirmed: false, preApproved: false }, false, "confirm"],
    // Verification comes first, whatever the policy, unless the core already verified the address.
    ["open", { preVerified: false }, false, "confirm"],
    ["open", { preVerified: false }, true, "subscribe"],
    ["moderate", { preVerified: false, preApproved: false }, true, "approve"],
    ["open", { invitation: true }, false, "invite"],
  ])("%s with %o (address verified: %s) → %s", (policy, options, verified, fate) => {
    expect(predictNewAddress(policy, { ...all, ...options }, verified)).toBe(fate);
  });
});
