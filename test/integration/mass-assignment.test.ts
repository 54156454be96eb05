import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 9, mass assignment: a request body can only carry the fields its operation declares. Every
// JSON body schema in the OpenAPI document is closed (additionalProperties: false), so a PATCH that
// smuggles `status`, `role` or `universityId` is refused with 400 naming the field, and nothing changes.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
};

/** Paths inside a schema where an object with declared properties accepts undeclared ones. */
function openObjects(schema: Schema | undefined, where: string, found: string[], seen = new Set<Schema>()): void {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  if (schema.properties && schema.additionalProperties !== false) found.push(where);
  for (const [name, property] of Object.entries(schema.properties ?? {}))
    openObjects(property, `${where}.${name}`, found, seen);
  const items = Array.isArray(schema.items) ? schema.items : schema.items ? [schema.items] : [];
  for (const item of items) openObjects(item, `${where}[]`, found, seen);
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    openObjects(part, where, found, seen);
}

describe('mass assignment', () => {
  it('every JSON request body in the API is a closed object', async () => {
    const spec = (await t.agent().get('/api/openapi.json')).json() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
    };
    const open: string[] = [];
    let bodies = 0;
    for (const [route, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        bodies += 1;
        openObjects(schema, `${method.toUpperCase()} ${route}`, open);
      }
    }
    expect(bodies).toBeGreaterThan(40);
    expect(open).toEqual([]);
  });

  it('a person cannot make themselves an administrator, move university or verify their own document', async () => {
    const applicant = await t.signedIn('applicant');
    const me = await applicant.agent.patch('/api/v1/me', {
      fullName: 'Renamed',
      role: 'administrator',
      universityId: '00000000-0000-0000-0000-000000000001',
    });
    expect(me.statusCode).toBe(400);
    const fields = (me.json() as { errors: { field: string }[] }).errors.map((e) => e.field).join(' ');
    expect(fields).toMatch(/role|universityId/);
    const after = (await applicant.agent.get('/api/v1/me')).json() as { role: string; fullName: string };
    expect(after).toMatchObject({ role: 'applicant', fullName: 'Test applicant' });

    const dossier = await applicant.agent.request({
      method: 'PUT',
      url: '/api/v1/me/dossier',
      payload: { status: 'verified', latinName: { surname: 'Bello', givenNames: 'Amina' } },
    });
    expect(dossier.statusCode).toBe(400);
  });
});
