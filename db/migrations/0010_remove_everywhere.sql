CREATE TABLE "remove_everywhere_items" (
	"job_id" integer NOT NULL,
	"position" integer NOT NULL,
	"target_id" integer,
	"target_name" text NOT NULL,
	"kind" text NOT NULL,
	"list_id" text,
	"role" text,
	"email" text NOT NULL,
	"state" "bulk_item_state" DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"detail" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remove_everywhere_items_job_id_position_pk" PRIMARY KEY("job_id","position")
);
--> statement-breakpoint
CREATE TABLE "remove_everywhere_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"addresses" jsonb NOT NULL,
	"roles" jsonb NOT NULL,
	"global_ban" boolean DEFAULT false NOT NULL,
	"status" "bulk_job_status" DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "remove_everywhere_items" ADD CONSTRAINT "remove_everywhere_items_job_id_remove_everywhere_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."remove_everywhere_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remove_everywhere_items" ADD CONSTRAINT "remove_everywhere_items_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remove_everywhere_jobs" ADD CONSTRAINT "remove_everywhere_jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "remove_everywhere_jobs_unfinished_idx" ON "remove_everywhere_jobs" USING btree ("status") WHERE status in ('queued', 'running');