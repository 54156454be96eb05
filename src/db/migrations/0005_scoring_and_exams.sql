CREATE TABLE "exam_bookings" (
	"session_id" uuid NOT NULL,
	"applicant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"slot_id" text NOT NULL,
	"option_id" text NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exam_bookings_session_id_applicant_id_pk" PRIMARY KEY("session_id","applicant_id")
);
--> statement-breakpoint
CREATE TABLE "exam_results" (
	"applicant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"slot_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"score" numeric,
	"outcome" text NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exam_results_applicant_id_campaign_id_slot_id_attempt_pk" PRIMARY KEY("applicant_id","campaign_id","slot_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "exam_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"slot_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"mode" text NOT NULL,
	"location" text,
	"capacity" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"rubric_id" uuid NOT NULL,
	"role" text DEFAULT 'reader' NOT NULL,
	"status" text DEFAULT 'assigned' NOT NULL,
	"inputs" jsonb,
	"items" jsonb,
	"total" numeric,
	"comment" text,
	"assigned_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rubrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "review" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "score_config" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "exam_plan" jsonb;--> statement-breakpoint
ALTER TABLE "exam_bookings" ADD CONSTRAINT "exam_bookings_session_id_exam_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."exam_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_bookings" ADD CONSTRAINT "exam_bookings_applicant_id_users_id_fk" FOREIGN KEY ("applicant_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_results" ADD CONSTRAINT "exam_results_applicant_id_users_id_fk" FOREIGN KEY ("applicant_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_results" ADD CONSTRAINT "exam_results_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_sessions" ADD CONSTRAINT "exam_sessions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_rubric_id_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "public"."rubrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rubrics" ADD CONSTRAINT "rubrics_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exam_bookings_one_per_slot_idx" ON "exam_bookings" USING btree ("applicant_id","campaign_id","slot_id");--> statement-breakpoint
CREATE INDEX "exam_sessions_campaign_idx" ON "exam_sessions" USING btree ("campaign_id","slot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_application_reviewer_idx" ON "reviews" USING btree ("application_id","reviewer_id","role");--> statement-breakpoint
CREATE INDEX "reviews_reviewer_idx" ON "reviews" USING btree ("reviewer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "rubrics_campaign_version_idx" ON "rubrics" USING btree ("campaign_id","version");