// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document. Public (it describes, it holds no data),
// so a client can read it before it has a token.
import { NextResponse } from 'next/server';
import { openApiDocument } from '../../../../lib/api-v1/openapi.ts';

export function GET(): NextResponse {
  return NextResponse.json(openApiDocument, { headers: { 'cache-control': 'public, max-age=300' } });
}
