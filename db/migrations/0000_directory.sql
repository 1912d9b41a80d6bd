CREATE TABLE "resources" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_kana" text,
	"kind" text NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"activities" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"conditions" text[] DEFAULT '{}'::text[] NOT NULL,
	"cost_kind" text DEFAULT 'unknown' NOT NULL,
	"cost_yen" integer,
	"cost_note" text,
	"capacity" integer,
	"postal_code" text,
	"prefecture" text,
	"city" text,
	"address_line" text,
	"building" text,
	"latitude" double precision,
	"longitude" double precision,
	"area" text,
	"operator" text,
	"phone" text,
	"email" text,
	"url" text,
	"hours_note" text,
	"access_note" text,
	"status" text DEFAULT 'active' NOT NULL,
	"last_verified_on" date,
	"source_id" integer,
	"source_row_id" text,
	"source_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL,
	"rrule" text NOT NULL,
	"starts_on" date NOT NULL,
	"start_time" text,
	"end_time" text,
	"exception_dates" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"resource_id" integer NOT NULL,
	"op" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"publisher" text NOT NULL,
	"dataset" text NOT NULL,
	"licence" text NOT NULL,
	"licence_url" text,
	"attribution" text NOT NULL,
	"source_url" text,
	"file_name" text,
	"imported_at" timestamp with time zone,
	CONSTRAINT "sources_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resources_source_row_uq" ON "resources" USING btree ("source_id","source_row_id");--> statement-breakpoint
CREATE INDEX "resources_kind_idx" ON "resources" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "resources_area_idx" ON "resources" USING btree ("area");--> statement-breakpoint
CREATE INDEX "schedules_resource_idx" ON "schedules" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "search_outbox_pending_idx" ON "search_outbox" USING btree ("id") WHERE applied_at is null;