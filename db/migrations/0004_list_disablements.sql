CREATE TYPE "public"."list_disable_mode" AS ENUM('disabled', 'archived');--> statement-breakpoint
CREATE TYPE "public"."list_disable_state" AS ENUM('disabling', 'disabled', 'enabling', 'enabled');--> statement-breakpoint
CREATE TABLE "list_disablements" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"list_id" text NOT NULL,
	"fqdn" text NOT NULL,
	"mode" "list_disable_mode" NOT NULL,
	"state" "list_disable_state" NOT NULL,
	"previous" jsonb NOT NULL,
	"placeholder_owner" text NOT NULL,
	"error" text,
	"disabled_by" uuid,
	"disabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enabled_by" uuid,
	"enabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "list_disablements" ADD CONSTRAINT "list_disablements_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disablements" ADD CONSTRAINT "list_disablements_disabled_by_users_id_fk" FOREIGN KEY ("disabled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_disablements" ADD CONSTRAINT "list_disablements_enabled_by_users_id_fk" FOREIGN KEY ("enabled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "list_disablements_open_key" ON "list_disablements" USING btree ("target_id","list_id") WHERE state <> 'enabled';--> statement-breakpoint
CREATE INDEX "list_disablements_target_state_idx" ON "list_disablements" USING btree ("target_id","state");