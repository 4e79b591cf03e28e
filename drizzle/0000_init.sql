CREATE SEQUENCE "public"."case_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "agreement_items" (
	"id" text PRIMARY KEY NOT NULL,
	"agreement_id" text NOT NULL,
	"direction" text NOT NULL,
	"item_code" text,
	"partner_item_code" text NOT NULL,
	"name" text,
	"promised_days" integer,
	"position" integer NOT NULL,
	CONSTRAINT "agreement_items_partner_code" UNIQUE("agreement_id","direction","partner_item_code"),
	CONSTRAINT "agreement_items_shape" CHECK (("agreement_items"."direction" = 'inbound' and "agreement_items"."item_code" is not null)
        or ("agreement_items"."direction" = 'outbound' and "agreement_items"."name" is not null and "agreement_items"."promised_days" is not null))
);
--> statement-breakpoint
CREATE TABLE "agreement_keys" (
	"agreement_id" text NOT NULL,
	"kid" text NOT NULL,
	"alg" text NOT NULL,
	"jwk" jsonb NOT NULL,
	"not_before" timestamp with time zone,
	"not_after" timestamp with time zone,
	"position" integer NOT NULL,
	CONSTRAINT "agreement_keys_agreement_id_kid_pk" PRIMARY KEY("agreement_id","kid")
);
--> statement-breakpoint
CREATE TABLE "agreement_versions" (
	"agreement_id" text NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"change" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "agreement_versions_agreement_id_version_pk" PRIMARY KEY("agreement_id","version")
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_region" text NOT NULL,
	"partner_name" text NOT NULL,
	"format" text NOT NULL,
	"endpoint" text NOT NULL,
	"status" text NOT NULL,
	"valid_from" text NOT NULL,
	"valid_until" text NOT NULL,
	"max_payload_bytes" integer DEFAULT 20971520 NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "agreements_valid_order" CHECK ("agreements"."valid_from" <= "agreements"."valid_until")
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
	"resent_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_jti_unique" UNIQUE("jti")
);
--> statement-breakpoint
CREATE TABLE "used_query_tokens" (
	"partner_region" text NOT NULL,
	"jti" text NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_stats" (
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"item_code" text NOT NULL,
	"department_code" text NOT NULL,
	"partner_region" text NOT NULL,
	"direction" text NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"concluded" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"withdrawn" integer DEFAULT 0 NOT NULL,
	"concluded_late" integer DEFAULT 0 NOT NULL,
	"wd_0" integer DEFAULT 0 NOT NULL,
	"wd_1" integer DEFAULT 0 NOT NULL,
	"wd_2" integer DEFAULT 0 NOT NULL,
	"wd_3" integer DEFAULT 0 NOT NULL,
	"wd_4" integer DEFAULT 0 NOT NULL,
	"wd_5" integer DEFAULT 0 NOT NULL,
	"wd_6" integer DEFAULT 0 NOT NULL,
	"wd_7" integer DEFAULT 0 NOT NULL,
	"wd_8" integer DEFAULT 0 NOT NULL,
	"wd_9" integer DEFAULT 0 NOT NULL,
	"wd_10" integer DEFAULT 0 NOT NULL,
	"wd_11" integer DEFAULT 0 NOT NULL,
	"wd_12" integer DEFAULT 0 NOT NULL,
	"wd_13" integer DEFAULT 0 NOT NULL,
	"wd_14" integer DEFAULT 0 NOT NULL,
	"wd_15" integer DEFAULT 0 NOT NULL,
	"wd_16" integer DEFAULT 0 NOT NULL,
	"wd_17" integer DEFAULT 0 NOT NULL,
	"wd_18" integer DEFAULT 0 NOT NULL,
	"wd_19" integer DEFAULT 0 NOT NULL,
	"wd_20" integer DEFAULT 0 NOT NULL,
	"wd_21" integer DEFAULT 0 NOT NULL,
	"wd_22" integer DEFAULT 0 NOT NULL,
	"wd_23" integer DEFAULT 0 NOT NULL,
	"wd_24" integer DEFAULT 0 NOT NULL,
	"wd_25" integer DEFAULT 0 NOT NULL,
	"wd_26" integer DEFAULT 0 NOT NULL,
	"wd_27" integer DEFAULT 0 NOT NULL,
	"wd_28" integer DEFAULT 0 NOT NULL,
	"wd_29" integer DEFAULT 0 NOT NULL,
	"wd_30" integer DEFAULT 0 NOT NULL,
	"wd_31" integer DEFAULT 0 NOT NULL,
	"wd_32" integer DEFAULT 0 NOT NULL,
	"wd_33" integer DEFAULT 0 NOT NULL,
	"wd_34" integer DEFAULT 0 NOT NULL,
	"wd_35" integer DEFAULT 0 NOT NULL,
	"wd_36" integer DEFAULT 0 NOT NULL,
	"wd_37" integer DEFAULT 0 NOT NULL,
	"wd_38" integer DEFAULT 0 NOT NULL,
	"wd_39" integer DEFAULT 0 NOT NULL,
	"wd_40" integer DEFAULT 0 NOT NULL,
	"wd_41" integer DEFAULT 0 NOT NULL,
	"wd_42" integer DEFAULT 0 NOT NULL,
	"wd_43" integer DEFAULT 0 NOT NULL,
	"wd_44" integer DEFAULT 0 NOT NULL,
	"wd_45" integer DEFAULT 0 NOT NULL,
	"wd_46" integer DEFAULT 0 NOT NULL,
	"wd_47" integer DEFAULT 0 NOT NULL,
	"wd_48" integer DEFAULT 0 NOT NULL,
	"wd_49" integer DEFAULT 0 NOT NULL,
	"wd_50" integer DEFAULT 0 NOT NULL,
	"wd_51" integer DEFAULT 0 NOT NULL,
	"wd_52" integer DEFAULT 0 NOT NULL,
	"wd_53" integer DEFAULT 0 NOT NULL,
	"wd_54" integer DEFAULT 0 NOT NULL,
	"wd_55" integer DEFAULT 0 NOT NULL,
	"wd_56" integer DEFAULT 0 NOT NULL,
	"wd_57" integer DEFAULT 0 NOT NULL,
	"wd_58" integer DEFAULT 0 NOT NULL,
	"wd_59" integer DEFAULT 0 NOT NULL,
	"wd_60" integer DEFAULT 0 NOT NULL,
	"wd_61" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_pk" PRIMARY KEY("kind","period","item_code","department_code","partner_region","direction")
);
--> statement-breakpoint
ALTER TABLE "agreement_items" ADD CONSTRAINT "agreement_items_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_items" ADD CONSTRAINT "agreement_items_item_code_items_code_fk" FOREIGN KEY ("item_code") REFERENCES "public"."items"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_keys" ADD CONSTRAINT "agreement_keys_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_versions" ADD CONSTRAINT "agreement_versions_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_items_item_idx" ON "agreement_items" USING btree ("item_code");--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_one_active_per_partner" ON "agreements" USING btree ("partner_region") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "agreements_partner_idx" ON "agreements" USING btree ("partner_region","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "items_department_idx" ON "items" USING btree ("department_code","code");--> statement-breakpoint
CREATE INDEX "items_status_idx" ON "items" USING btree ("status","code");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_case_side_seq_uq" ON "case_events" USING btree ("case_id","side","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_partner_case_no_uq" ON "cases" USING btree ("partner_region","direction","partner_case_no");--> statement-breakpoint
CREATE INDEX "cases_department_inbox_idx" ON "cases" USING btree ("department_code","state","received_at");--> statement-breakpoint
CREATE INDEX "cases_state_idx" ON "cases" USING btree ("state","received_at");--> statement-breakpoint
CREATE INDEX "cases_item_idx" ON "cases" USING btree ("item_code","state");--> statement-breakpoint
CREATE INDEX "cases_partner_idx" ON "cases" USING btree ("partner_region","received_at");--> statement-breakpoint
CREATE INDEX "cases_promised_idx" ON "cases" USING btree ("clock_state","promised_date");--> statement-breakpoint
CREATE INDEX "cases_department_received_idx" ON "cases" USING btree ("department_code","received_at","id");--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "cases_overdue_department_idx" ON "cases" USING btree ("department_code","received_at","id") WHERE clock_state = 'running' or overdue_frozen = 1;--> statement-breakpoint
CREATE INDEX "cases_open_clock_idx" ON "cases" USING btree ("clock_state","promised_date","overdue_frozen","partner_region","item_code","department_code","direction","received_at") WHERE state in ('submitted','received','accepted','correction_requested','correction_submitted','in_process','suspended');--> statement-breakpoint
CREATE INDEX "materials_case_idx" ON "materials" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_partner_direction_jti_uq" ON "messages" USING btree ("partner_region","direction","jti");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_case_idx" ON "outbox" USING btree ("case_id","case_seq");--> statement-breakpoint
CREATE INDEX "outbox_partner_idx" ON "outbox" USING btree ("partner_region","status");--> statement-breakpoint
CREATE UNIQUE INDEX "used_query_tokens_uq" ON "used_query_tokens" USING btree ("partner_region","jti");--> statement-breakpoint
CREATE INDEX "case_stats_item_idx" ON "case_stats" USING btree ("item_code","kind","period");