CREATE TABLE "subscription_confirmations" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"list_id" text NOT NULL,
	"email" text NOT NULL,
	"token_sealed" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscription_confirmations" ADD CONSTRAINT "subscription_confirmations_target_id_provisioner_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."provisioner_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_confirmations_key" ON "subscription_confirmations" USING btree ("target_id","list_id","email");--> statement-breakpoint
CREATE INDEX "subscription_confirmations_email_idx" ON "subscription_confirmations" USING btree ("email");