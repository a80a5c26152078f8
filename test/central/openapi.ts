import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { RegistrationRecord } from '../../common/registration'
import { FleetAnswer, Heartbeat } from '../../main/services/fleet/wire'
import { PostRoster } from '../../main/services/platform/post-roster'

/**
 * openapi.json is written by hand except `components.schemas.RegistrationRecord`, `Heartbeat` and `FleetAnswer`,
 * which are generated from the zod schemas the server validates with (what a client may send: zod's input side).
 * The unit tests fail when they drift; `npx tsx test/central/openapi.ts` rewrites those entries. Rules zod checks in
 * code (NIK date and serial, mobile numbers, region nesting) can't be expressed in JSON Schema and are only described.
 */
export const OPENAPI_FILE = join(import.meta.dirname, 'openapi.json')

export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, { security?: unknown[] } & Record<string, unknown>>>
  components: { schemas: Record<string, unknown> } & Record<string, unknown>
}

export function loadOpenApi(): OpenApiDocument {
  return JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument
}

export function registrationRecordJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(RegistrationRecord, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return {
    ...schema,
    description:
      'common/registration.ts RegistrationRecord (generated). Also checked in code: NIK rules (16 digits, known province, a real DDMMYY date with day + 40 for women, serial ≥ 0001), Indonesian mobile numbers only (stored E.164), region codes nested province → regency → district → village.',
  }
}

/** The fleet schemas, generated from the zod the kiosk sends with and the server validates with. */
export function fleetJsonSchemas(): Record<'Heartbeat' | 'FleetAnswer' | 'PostRoster', Record<string, unknown>> {
  const generate = (schema: z.ZodType, description: string) => {
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>
    return { ...json, description }
  }
  return {
    Heartbeat: generate(Heartbeat, 'main/services/fleet/wire.ts Heartbeat (generated): counts, codes and times only, no personal data.'),
    FleetAnswer: generate(FleetAnswer, 'main/services/fleet/wire.ts FleetAnswer (generated): every post with its latest heartbeat.'),
    PostRoster: generate(
      PostRoster,
      "main/services/platform/post-roster.ts PostRoster (generated): the post's kiosks, each one's TLS certificate SHA-256 and whether it is revoked, and the post key sealed to the asking kiosk's box key (null while it has none registered).",
    ),
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const doc = loadOpenApi()
  doc.components.schemas.RegistrationRecord = registrationRecordJsonSchema()
  Object.assign(doc.components.schemas, fleetJsonSchemas())
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(doc, null, 2)}\n`)
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`)
}
