// Copies the SQL migrations next to the compiled database client, which reads them at start-up.
import fs from 'node:fs';

fs.rmSync('dist/server/db/migrations', { recursive: true, force: true });
fs.cpSync('src/db/migrations', 'dist/server/db/migrations', { recursive: true });
