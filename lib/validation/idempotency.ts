import { z } from 'zod'

/** A UUID as `crypto.randomUUID()` makes it (any version, either case); kept in lower case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The id a browser or an API client gives one change (`Idempotency-Key`): a UUID. */
export const IdempotencyKeySchema = z
  .string('validation.idempotencyKey.invalid')
  .regex(UUID, 'validation.idempotencyKey.invalid')
  .transform((key) => key.toLowerCase())

export type IdempotencyKey = z.output<typeof IdempotencyKeySchema>
