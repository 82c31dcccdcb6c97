CREATE TYPE "public"."bulk_item_state" AS ENUM('pending', 'sending', 'done');--> statement-breakpoint
CREATE TYPE "public"."bulk_job_kind" AS ENUM('subscribe', 'remove');--> statement-breakpoint
CREATE TYPE "public"."bulk_job_status" AS ENUM('queued', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "bulk_job_items" (
	"job_id" integer NOT NULL,
	"position" integer NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"expected_member" boolean DEFAULT false NOT NULL,
	"state" "bulk_item_state" DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"detail" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulk_job_items_job_id_position_pk" PRIMARY KEY("job_id","position")
);
--> statement-breakpoint
CREATE TABLE "bulk_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"list_id" text NOT NULL,
	"kind" "bulk_job_kind" NOT NULL,
	"status" "bulk_job_status" DEFAULT 'queued' NOT NULL,
	"options" jsonb NOT NULL,
	"source" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "bulk_job_items" ADD CONSTRAINT "bulk_job_items_job_id_bulk_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."bulk_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD CONSTRAINT "bulk_jobs_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_jobs" ADD CONSTRAINT "bulk_jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_job_items_state_idx" ON "bulk_job_items" USING btree ("job_id","state","position");--> statement-breakpoint
CREATE INDEX "bulk_jobs_list_idx" ON "bulk_jobs" USING btree ("target_id","list_id","created_at");--> statement-breakpoint
CREATE INDEX "bulk_jobs_unfinished_idx" ON "bulk_jobs" USING btree ("status") WHERE status in ('queued', 'running');