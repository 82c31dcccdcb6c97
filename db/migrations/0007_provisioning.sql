CREATE TYPE "public"."email_list_status" AS ENUM('active', 'suspended');--> statement-breakpoint
CREATE TYPE "public"."group_status" AS ENUM('active', 'suspended');--> statement-breakpoint
CREATE TYPE "public"."membership_mode" AS ENUM('group', 'self_service');--> statement-breakpoint
CREATE TYPE "public"."person_status" AS ENUM('active', 'grace_period', 'suspended', 'expired', 'locked', 'pending', 'declined', 'deleted', 'duplicate');--> statement-breakpoint
CREATE TYPE "public"."list_preference_source" AS ENUM('user', 'init', 'admin');--> statement-breakpoint
CREATE TYPE "public"."provisioning_conflict_kind" AS ENUM('preferred_owned_by_person', 'preferred_owned_by_unmapped', 'secondary_owned', 'shared_address');--> statement-breakpoint
CREATE TYPE "public"."provisioning_job_status" AS ENUM('queued', 'running', 'succeeded', 'partial', 'failed');--> statement-breakpoint
CREATE TYPE "public"."provisioning_subject" AS ENUM('person', 'group', 'list', 'target', 'sweep');--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "email_addresses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"mail" text NOT NULL,
	"mail_norm" text GENERATED ALWAYS AS (lower(mail)) STORED NOT NULL,
	"type" text DEFAULT 'official' NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_lists" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "email_list_status" DEFAULT 'active' NOT NULL,
	"membership_mode" "membership_mode" DEFAULT 'group' NOT NULL,
	"members_group_id" integer,
	"admins_group_id" integer,
	"moderators_group_id" integer,
	"eligibility_group_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "group_memberships" (
	"id" serial PRIMARY KEY NOT NULL,
	"group_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"member" boolean DEFAULT true NOT NULL,
	"owner" boolean DEFAULT false NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_through" timestamp with time zone,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "group_status" DEFAULT 'active' NOT NULL,
	"external_id" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "list_preferences" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"email_list_id" integer NOT NULL,
	"subscribed" boolean,
	"source" "list_preference_source" DEFAULT 'user' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"given_name" text DEFAULT '' NOT NULL,
	"family_name" text DEFAULT '' NOT NULL,
	"status" "person_status" DEFAULT 'active' NOT NULL,
	"external_id" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provisioned_lists" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"email_list_id" integer NOT NULL,
	"mailman_list_id" text NOT NULL,
	"fqdn" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_synced_at" timestamp with time zone,
	"last_result" text
);
--> statement-breakpoint
CREATE TABLE "provisioning_conflicts" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"email" text NOT NULL,
	"kind" "provisioning_conflict_kind" NOT NULL,
	"mailman_user_id" text,
	"message" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "provisioning_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" integer,
	"target_id" integer,
	"person_id" integer,
	"email_list_id" integer,
	"op" text NOT NULL,
	"role" text,
	"mailman_list_id" text,
	"email" text,
	"method" text,
	"path" text,
	"http_status" integer,
	"message" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_job_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" integer NOT NULL,
	"attempt" integer NOT NULL,
	"person_id" integer,
	"email_list_id" integer,
	"email" text,
	"role" text,
	"outcome" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"subject_type" "provisioning_subject" NOT NULL,
	"subject_id" integer,
	"action" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "provisioning_job_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"requested_by" uuid,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provisioning_sweeps" (
	"target_id" integer PRIMARY KEY NOT NULL,
	"last_sweep_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provisioner_targets" ADD COLUMN "provision_group_id" integer;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_addresses" ADD CONSTRAINT "email_addresses_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_lists" ADD CONSTRAINT "email_lists_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_lists" ADD CONSTRAINT "email_lists_members_group_id_groups_id_fk" FOREIGN KEY ("members_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_lists" ADD CONSTRAINT "email_lists_admins_group_id_groups_id_fk" FOREIGN KEY ("admins_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_lists" ADD CONSTRAINT "email_lists_moderators_group_id_groups_id_fk" FOREIGN KEY ("moderators_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_lists" ADD CONSTRAINT "email_lists_eligibility_group_id_groups_id_fk" FOREIGN KEY ("eligibility_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_preferences" ADD CONSTRAINT "list_preferences_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_preferences" ADD CONSTRAINT "list_preferences_email_list_id_email_lists_id_fk" FOREIGN KEY ("email_list_id") REFERENCES "public"."email_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioned_lists" ADD CONSTRAINT "provisioned_lists_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioned_lists" ADD CONSTRAINT "provisioned_lists_email_list_id_email_lists_id_fk" FOREIGN KEY ("email_list_id") REFERENCES "public"."email_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_conflicts" ADD CONSTRAINT "provisioning_conflicts_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_conflicts" ADD CONSTRAINT "provisioning_conflicts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_job_id_provisioning_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."provisioning_jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_email_list_id_email_lists_id_fk" FOREIGN KEY ("email_list_id") REFERENCES "public"."email_lists"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_job_items" ADD CONSTRAINT "provisioning_job_items_job_id_provisioning_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."provisioning_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_jobs" ADD CONSTRAINT "provisioning_jobs_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_jobs" ADD CONSTRAINT "provisioning_jobs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_sweeps" ADD CONSTRAINT "provisioning_sweeps_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "email_addresses_person_mail_key" ON "email_addresses" USING btree ("person_id","mail_norm");--> statement-breakpoint
CREATE INDEX "email_addresses_mail_idx" ON "email_addresses" USING btree ("mail_norm");--> statement-breakpoint
CREATE UNIQUE INDEX "email_lists_target_name_key" ON "email_lists" USING btree ("target_id",lower("name")) WHERE deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "group_memberships_group_person_source_key" ON "group_memberships" USING btree ("group_id","person_id","source");--> statement-breakpoint
CREATE INDEX "group_memberships_person_idx" ON "group_memberships" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "group_memberships_valid_from_idx" ON "group_memberships" USING btree ("valid_from");--> statement-breakpoint
CREATE INDEX "group_memberships_valid_through_idx" ON "group_memberships" USING btree ("valid_through");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_name_key" ON "groups" USING btree ("name") WHERE deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "groups_external_id_key" ON "groups" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "list_preferences_person_list_key" ON "list_preferences" USING btree ("person_id","email_list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_external_id_key" ON "people" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provisioned_lists_target_list_key" ON "provisioned_lists" USING btree ("target_id","email_list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provisioned_lists_target_mailman_key" ON "provisioned_lists" USING btree ("target_id","mailman_list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provisioning_conflicts_open_key" ON "provisioning_conflicts" USING btree ("target_id","person_id","email") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "provisioning_conflicts_target_idx" ON "provisioning_conflicts" USING btree ("target_id","created_at");--> statement-breakpoint
CREATE INDEX "provisioning_events_person_idx" ON "provisioning_events" USING btree ("person_id","at");--> statement-breakpoint
CREATE INDEX "provisioning_events_list_idx" ON "provisioning_events" USING btree ("email_list_id","at");--> statement-breakpoint
CREATE INDEX "provisioning_events_job_idx" ON "provisioning_events" USING btree ("job_id","at");--> statement-breakpoint
CREATE INDEX "provisioning_job_items_job_idx" ON "provisioning_job_items" USING btree ("job_id","attempt");--> statement-breakpoint
CREATE INDEX "provisioning_jobs_due_idx" ON "provisioning_jobs" USING btree ("next_attempt_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "provisioning_jobs_subject_idx" ON "provisioning_jobs" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "provisioning_jobs_target_idx" ON "provisioning_jobs" USING btree ("target_id","created_at");--> statement-breakpoint
ALTER TABLE "core_users" ADD CONSTRAINT "core_users_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;