CREATE TYPE "public"."data_key_purpose" AS ENUM('cloud-credentials', 'bundle-signing', 'ca', 'integration-secrets', 'identity');--> statement-breakpoint
CREATE TABLE "data_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"purpose" "data_key_purpose" NOT NULL,
	"kek_id" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_encryption_keys" (
	"kek_id" text PRIMARY KEY NOT NULL,
	"check_value" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_key_hash" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rotated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "last_used_from" text;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "credential_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "previous_credential_hash" text;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "previous_credential_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "credential_rotated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enforcers" ADD COLUMN "last_used_from" text;--> statement-breakpoint
ALTER TABLE "data_keys" ADD CONSTRAINT "data_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_organization_id_purpose_live_key" ON "data_keys" USING btree ("organization_id","purpose") WHERE "data_keys"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "data_keys_kek_id_idx" ON "data_keys" USING btree ("kek_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_previous_key_hash_key" ON "api_keys" USING btree ("previous_key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcers_previous_credential_hash_key" ON "enforcers" USING btree ("previous_credential_hash");