CREATE TABLE "list_snapshot_refreshes" (
	"target_id" integer PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "list_snapshots" (
	"target_id" integer NOT NULL,
	"list_id" text NOT NULL,
	"fqdn" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"advertised" boolean NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"last_post_at" timestamp with time zone,
	"last_post_checked_at" timestamp with time zone,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "list_snapshots_target_id_list_id_pk" PRIMARY KEY("target_id","list_id")
);
--> statement-breakpoint
ALTER TABLE "list_snapshot_refreshes" ADD CONSTRAINT "list_snapshot_refreshes_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_snapshots" ADD CONSTRAINT "list_snapshots_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "list_snapshots_target_fqdn_idx" ON "list_snapshots" USING btree ("target_id","fqdn");