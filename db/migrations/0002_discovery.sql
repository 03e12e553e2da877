CREATE TYPE "public"."cloud_account_status" AS ENUM('pending', 'active', 'partial', 'error', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."cloud_provider" AS ENUM('aws', 'azure', 'gcp');--> statement-breakpoint
CREATE TYPE "public"."sync_status" AS ENUM('queued', 'running', 'succeeded', 'partial', 'failed');--> statement-breakpoint
CREATE TYPE "public"."sync_trigger" AS ENUM('schedule', 'manual', 'import');--> statement-breakpoint
CREATE TABLE "cloud_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"provider" "cloud_provider" NOT NULL,
	"name" text NOT NULL,
	"cloud_account_id" text NOT NULL,
	"role_arn" text,
	"external_id" text,
	"tenant_id" text,
	"client_id" text,
	"sealed_secret" text,
	"offline" boolean DEFAULT false NOT NULL,
	"status" "cloud_account_status" DEFAULT 'pending' NOT NULL,
	"status_message" text,
	"sync_interval_seconds" integer DEFAULT 900 NOT NULL,
	"next_sync_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_assets" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"account_id" text NOT NULL,
	"cloud_id" text NOT NULL,
	"kind" text NOT NULL,
	"region" text NOT NULL,
	"scope" text NOT NULL,
	"hash" text NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"account_id" text NOT NULL,
	"trigger" "sync_trigger" NOT NULL,
	"status" "sync_status" DEFAULT 'queued' NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"added" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"diff" jsonb,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cloud_accounts" ADD CONSTRAINT "cloud_accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_assets" ADD CONSTRAINT "inventory_assets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_assets" ADD CONSTRAINT "inventory_assets_account_id_cloud_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."cloud_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_account_id_cloud_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."cloud_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cloud_accounts_organization_id_provider_cloud_account_id_key" ON "cloud_accounts" USING btree ("organization_id","provider","cloud_account_id");--> statement-breakpoint
CREATE INDEX "cloud_accounts_next_sync_at_idx" ON "cloud_accounts" USING btree ("next_sync_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_assets_organization_id_account_id_cloud_id_key" ON "inventory_assets" USING btree ("organization_id","account_id","cloud_id");--> statement-breakpoint
CREATE INDEX "inventory_assets_organization_id_kind_idx" ON "inventory_assets" USING btree ("organization_id","kind");--> statement-breakpoint
CREATE INDEX "sync_runs_status_created_at_idx" ON "sync_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "sync_runs_organization_id_account_id_created_at_idx" ON "sync_runs" USING btree ("organization_id","account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_account_id_open_key" ON "sync_runs" USING btree ("account_id") WHERE "sync_runs"."status" in ('queued', 'running');