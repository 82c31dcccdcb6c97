ALTER TABLE "audit_events" ADD COLUMN "actor_kind" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_label" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "list_id" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "outcome" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_list_at_idx" ON "audit_events" USING btree ("target_id","list_id","at");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
UPDATE "audit_events" SET "list_id" = "subject" WHERE "list_id" IS NULL AND "action" NOT LIKE 'target.%' AND "action" NOT LIKE 'domain.%' AND "action" NOT LIKE 'global-ban.%' AND "action" NOT LIKE 'template.%';--> statement-breakpoint
UPDATE "audit_events" SET "list_id" = split_part("subject", ':', 2) WHERE "list_id" IS NULL AND "action" LIKE 'template.%' AND "subject" LIKE 'list:%';
