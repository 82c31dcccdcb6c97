export * from "./users";
export * from "./login-attempts";
export * from "./provisioner-targets";
export * from "./audit-events";
export * from "./templates";
export * from "./bulk-jobs";
export * from "./core-users";
export * from "./list-disablements";
