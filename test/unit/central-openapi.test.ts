import { describe, expect, it } from 'vitest'
import { loadOpenApi, registrationRecordJsonSchema } from '../central/openapi'
import { routes } from '../central/routes'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

describe('central: openapi.json', () => {
  const doc = loadOpenApi()
  const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  )
  const served = routes.map((r) => `${r.method} ${r.path}`)

  it('is OpenAPI 3.1 with a bearer security scheme applied by default', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.components.securitySchemes).toEqual({
      postToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      // IT's fleet routes (GET /fleet, GET /v1/posts) take the admin token, never a post token.
      adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    })
    expect((doc as unknown as { security: unknown }).security).toEqual([{ postToken: [] }])
  })

  it('documents every route the server dispatches', () => {
    expect(served.filter((op) => !documented.includes(op))).toEqual([])
  })

  it('documents no route the server does not dispatch', () => {
    expect(documented.filter((op) => !served.includes(op))).toEqual([])
  })

  it('marks an operation public exactly when its route needs no token', () => {
    const publicInDoc = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, op]) => METHODS.includes(method) && Array.isArray(op.security) && op.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(publicInDoc).toEqual(routes.filter((r) => !r.auth).map((r) => `${r.method} ${r.path}`))
  })

  it('describes RegistrationRecord exactly as the zod schema the server validates with (rerun test/central/openapi.ts if not)', () => {
    expect(doc.components.schemas.RegistrationRecord).toEqual(registrationRecordJsonSchema())
  })
})
