CREATE TABLE "agency_universities" (
	"agency_id" uuid NOT NULL,
	"university_id" uuid NOT NULL,
	CONSTRAINT "agency_universities_agency_id_university_id_pk" PRIMARY KEY("agency_id","university_id")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"university_id" uuid NOT NULL,
	"level" text NOT NULL,
	"title_en" text NOT NULL,
	"title_ru" text NOT NULL,
	"specialty_code" text,
	"durations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"language_preparation" boolean,
	"study_forms" text[] DEFAULT '{}'::text[] NOT NULL,
	"funding_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"tuition_amount" numeric,
	"tuition_currency" text,
	"tuition_period" text,
	"clinical_practice" boolean,
	"exchange_programs" boolean,
	"entrance_exams" jsonb,
	"intake_windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" jsonb,
	"sources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "specialties" (
	"country" text NOT NULL,
	"level" text NOT NULL,
	"code" text NOT NULL,
	"name_en" text NOT NULL,
	"name_ru" text NOT NULL,
	"durations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "specialties_country_level_code_pk" PRIMARY KEY("country","level","code")
);
--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "name_kk" text;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "city" jsonb;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "wdoms_listed" boolean;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "languages" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "multidisciplinary_clinical_bases" boolean;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "clinical_bases" jsonb;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "partnerships" jsonb;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "exchange_programs" jsonb;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "description" jsonb;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "sources" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "universities" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "agency_universities" ADD CONSTRAINT "agency_universities_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_universities" ADD CONSTRAINT "agency_universities_university_id_universities_id_fk" FOREIGN KEY ("university_id") REFERENCES "public"."universities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_university_id_universities_id_fk" FOREIGN KEY ("university_id") REFERENCES "public"."universities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programs_university_idx" ON "programs" USING btree ("university_id");