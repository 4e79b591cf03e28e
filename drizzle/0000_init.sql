CREATE TABLE "calendar_overrides" (
	"date" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"code" text PRIMARY KEY NOT NULL,
	"basic_code" text NOT NULL,
	"name" text NOT NULL,
	"department_code" text NOT NULL,
	"modes" text[] NOT NULL,
	"promised_days" integer NOT NULL,
	"status" text NOT NULL,
	"township" boolean DEFAULT false NOT NULL,
	"cross_city" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_basic_code_unique" UNIQUE("basic_code")
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"signed_at" timestamp (3) with time zone NOT NULL,
	"jws" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"department_code" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"side" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"document_digest" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"message_id" text
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"case_no" text NOT NULL,
	"direction" text NOT NULL,
	"partner_region" text NOT NULL,
	"agreement_id" text NOT NULL,
	"partner_case_no" text,
	"item_code" text,
	"partner_item_code" text NOT NULL,
	"item_name" text NOT NULL,
	"department_code" text NOT NULL,
	"state" text NOT NULL,
	"applicant_name" text NOT NULL,
	"document" jsonb NOT NULL,
	"document_digest" text NOT NULL,
	"delivery_method" text NOT NULL,
	"promised_days" integer NOT NULL,
	"clock_state" text DEFAULT 'not_started' NOT NULL,
	"promised_date" text,
	"overdue_frozen" integer DEFAULT 0 NOT NULL,
	"working_days_used" integer,
	"received_at" timestamp (3) with time zone NOT NULL,
	"concluded_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_case_no_unique" UNIQUE("case_no")
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"event_id" text,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"original" integer NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"partner_region" text NOT NULL,
	"jti" text NOT NULL,
	"typ" text NOT NULL,
	"digest" text NOT NULL,
	"jws" text,
	"case_no" text,
	"receipt_jws" text,
	"received_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_region" text NOT NULL,
	"agreement_id" text NOT NULL,
	"case_id" text,
	"case_seq" integer,
	"typ" text NOT NULL,
	"cty" text NOT NULL,
	"path" text NOT NULL,
	"jti" text NOT NULL,
	"payload" "bytea" NOT NULL,
	"digest" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone NOT NULL,
	"lease_until" timestamp (3) with time zone,
	"leased_by" text,
	"last_error" text,
	"receipt_jws" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"delivered_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_jti_unique" UNIQUE("jti")
);
--> statement-breakpoint
CREATE TABLE "used_query_tokens" (
	"partner_region" text NOT NULL,
	"jti" text NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "items_department_idx" ON "items" USING btree ("department_code","code");--> statement-breakpoint
CREATE INDEX "items_status_idx" ON "items" USING btree ("status","code");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_case_side_seq_uq" ON "case_events" USING btree ("case_id","side","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_partner_case_no_uq" ON "cases" USING btree ("partner_region","direction","partner_case_no");--> statement-breakpoint
CREATE INDEX "cases_department_inbox_idx" ON "cases" USING btree ("department_code","state","received_at");--> statement-breakpoint
CREATE INDEX "cases_state_idx" ON "cases" USING btree ("state","received_at");--> statement-breakpoint
CREATE INDEX "cases_item_idx" ON "cases" USING btree ("item_code","state");--> statement-breakpoint
CREATE INDEX "cases_partner_idx" ON "cases" USING btree ("partner_region","received_at");--> statement-breakpoint
CREATE INDEX "cases_promised_idx" ON "cases" USING btree ("clock_state","promised_date");--> statement-breakpoint
CREATE INDEX "materials_case_idx" ON "materials" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_partner_direction_jti_uq" ON "messages" USING btree ("partner_region","direction","jti");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_case_idx" ON "outbox" USING btree ("case_id","case_seq");--> statement-breakpoint
CREATE INDEX "outbox_partner_idx" ON "outbox" USING btree ("partner_region","status");--> statement-breakpoint
CREATE UNIQUE INDEX "used_query_tokens_uq" ON "used_query_tokens" USING btree ("partner_region","jti");