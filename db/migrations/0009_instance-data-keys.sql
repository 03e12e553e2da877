DROP INDEX "data_keys_organization_id_purpose_live_key";--> statement-breakpoint
ALTER TABLE "data_keys" ALTER COLUMN "organization_id" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_instance_purpose_live_key" ON "data_keys" USING btree ("purpose") WHERE "data_keys"."retired_at" is null and "data_keys"."organization_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_organization_id_purpose_live_key" ON "data_keys" USING btree ("organization_id","purpose") WHERE "data_keys"."retired_at" is null and "data_keys"."organization_id" is not null;