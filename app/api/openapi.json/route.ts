import { openApiDocument } from '@/lib/openapi'

/** The API's OpenAPI 3.1 document: public, like the contract it describes; it changes only with a deploy. */
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
