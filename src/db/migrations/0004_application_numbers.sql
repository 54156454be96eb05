-- Receipt numbers of submitted applications: unique, increasing, never reused.
CREATE SEQUENCE IF NOT EXISTS application_number_seq START 1;
