CREATE TYPE "public"."enforcer_kind" AS ENUM('gateway', 'worker');--> statement-breakpoint
CREATE TABLE "bundles" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"version" integer NOT NULL,
	"hash" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"signing_key_id" text NOT NULL,
	"handover" boolean DEFAULT false NOT NULL,
	"rollback_of" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ca_certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"sealed_private_key" text NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enforcer_registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"enforcer_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enforcers" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" "enforcer_kind" NOT NULL,
	"credential_hash" text NOT NULL,
	"credential_start" text NOT NULL,
	"software_version" text,
	"baseline_version" integer DEFAULT 0 NOT NULL,
	"bundle_version" integer,
	"bundle_hash" text,
	"status_message" text,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"organization_id" text NOT NULL,
	"id" uuid NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"enforcer_id" text NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"src_ip" "inet" NOT NULL,
	"dst_host" text,
	"dst_port" integer NOT NULL,
	"rule_id" text,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_organization_id_time_id_pk" PRIMARY KEY("organization_id","time","id")
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"sealed_private_key" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ca_certificates" ADD CONSTRAINT "ca_certificates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcer_registrations" ADD CONSTRAINT "enforcer_registrations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcer_registrations" ADD CONSTRAINT "enforcer_registrations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcers" ADD CONSTRAINT "enforcers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bundles_organization_id_version_key" ON "bundles" USING btree ("organization_id","version");--> statement-breakpoint
CREATE INDEX "bundles_organization_id_hash_idx" ON "bundles" USING btree ("organization_id","hash");--> statement-breakpoint
CREATE UNIQUE INDEX "ca_certificates_organization_id_live_key" ON "ca_certificates" USING btree ("organization_id") WHERE "ca_certificates"."retired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "enforcer_registrations_token_hash_key" ON "enforcer_registrations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "enforcer_registrations_organization_id_idx" ON "enforcer_registrations" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcers_credential_hash_key" ON "enforcers" USING btree ("credential_hash");--> statement-breakpoint
CREATE INDEX "enforcers_organization_id_idx" ON "enforcers" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_organization_id_key_id_key" ON "signing_keys" USING btree ("organization_id","key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_organization_id_live_key" ON "signing_keys" USING btree ("organization_id") WHERE "signing_keys"."retired_at" is null;