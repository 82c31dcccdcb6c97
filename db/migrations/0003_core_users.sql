CREATE TABLE "core_users" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"mailman_user_id" text,
	"account_id" uuid,
	"person_id" integer,
	"intent_email" text,
	"sync_hash" text,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "core_users" ADD CONSTRAINT "core_users_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_users" ADD CONSTRAINT "core_users_account_id_users_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "core_users_target_mailman_user_key" ON "core_users" USING btree ("target_id","mailman_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "core_users_target_account_key" ON "core_users" USING btree ("target_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "core_users_target_person_key" ON "core_users" USING btree ("target_id","person_id");--> statement-breakpoint
CREATE INDEX "core_users_target_intent_idx" ON "core_users" USING btree ("target_id","intent_email");