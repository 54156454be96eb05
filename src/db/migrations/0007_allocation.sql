CREATE TABLE "admissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"applicant_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"competition_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"priority" integer NOT NULL,
	"status" text NOT NULL,
	"confirm_by" timestamp with time zone NOT NULL,
	"consent_at" timestamp with time zone,
	"contract_accepted_at" timestamp with time zone,
	"prepayment_confirmed_at" timestamp with time zone,
	"prepayment_confirmed_by" uuid,
	"prepayment_reference" text,
	"confirmed_at" timestamp with time zone,
	"order_id" uuid,
	"closed_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allocation_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"competitions" jsonb NOT NULL,
	"input_sha256" text NOT NULL,
	"output_sha256" text NOT NULL,
	"stats" jsonb NOT NULL,
	"capacities" jsonb NOT NULL,
	"cutoffs" jsonb NOT NULL,
	"check" jsonb NOT NULL,
	"confirm_by" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrollment_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"competition_id" uuid NOT NULL,
	"number" text NOT NULL,
	"quota_referral" boolean NOT NULL,
	"students" jsonb NOT NULL,
	"signed_by" text NOT NULL,
	"issued_by" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lottery_draws" (
	"campaign_id" uuid NOT NULL,
	"applicant_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"lottery" integer NOT NULL,
	"code" text NOT NULL,
	"batch" integer NOT NULL,
	"seed" text NOT NULL,
	"drawn_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lottery_draws_campaign_id_applicant_id_pk" PRIMARY KEY("campaign_id","applicant_id")
);
--> statement-breakpoint
CREATE TABLE "ranked_lists" (
	"run_id" uuid NOT NULL,
	"competition_id" uuid NOT NULL,
	"capacity" integer NOT NULL,
	"admitted" integer NOT NULL,
	"size" integer NOT NULL,
	"cutoff" jsonb,
	"entries" jsonb NOT NULL,
	CONSTRAINT "ranked_lists_run_id_competition_id_pk" PRIMARY KEY("run_id","competition_id")
);
--> statement-breakpoint
CREATE TABLE "visa_cases" (
	"admission_id" uuid PRIMARY KEY NOT NULL,
	"applicant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"request" jsonb NOT NULL,
	"invitation_issued_at" timestamp with time zone,
	"invitation_number" text,
	"visa_issued_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"registration_due_at" timestamp with time zone,
	"registered_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "enrollment" jsonb;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "seats" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "competitions" ADD COLUMN "reverts_to_id" uuid;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_runs" ADD CONSTRAINT "allocation_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_orders" ADD CONSTRAINT "enrollment_orders_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_orders" ADD CONSTRAINT "enrollment_orders_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lottery_draws" ADD CONSTRAINT "lottery_draws_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranked_lists" ADD CONSTRAINT "ranked_lists_run_id_allocation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."allocation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ranked_lists" ADD CONSTRAINT "ranked_lists_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visa_cases" ADD CONSTRAINT "visa_cases_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "public"."admissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admissions_campaign_idx" ON "admissions" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "admissions_competition_idx" ON "admissions" USING btree ("competition_id","status");--> statement-breakpoint
CREATE INDEX "admissions_applicant_idx" ON "admissions" USING btree ("applicant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admissions_one_active_idx" ON "admissions" USING btree ("campaign_id","applicant_id") WHERE status in ('offered', 'confirmed', 'enrolled');--> statement-breakpoint
CREATE UNIQUE INDEX "allocation_runs_seq_idx" ON "allocation_runs" USING btree ("campaign_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollment_orders_number_idx" ON "enrollment_orders" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "lottery_draws_lottery_idx" ON "lottery_draws" USING btree ("campaign_id","lottery");