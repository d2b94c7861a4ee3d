// The OpenAPI 3.1 document of the public segment API v1, served at /api/v1/openapi.json. Hand-written
// as one typed object so a reader sees the whole contract in one place; tests/api-v1.test.ts checks
// that every route file under dashboard/app/api/v1 appears in `paths`, so it cannot silently fall
// behind the code.
import { apiScopes } from '../../../lib/api-tokens.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const rateHeaders: Json = {
  'X-RateLimit-Limit': { description: 'Requests per minute this token may make.', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute.', schema: { type: 'integer' } },
};

const commonErrors: Record<string, Json> = {
  '401': errorResponse('No bearer token, or it is unknown, expired or revoked, or its owner is disabled.'),
  '403': errorResponse("The token lacks the scope, or its owner's role no longer allows it."),
  '429': {
    description: 'Over the rate limit. Retry-After says how many seconds to wait.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } }, ...(rateHeaders as Record<string, Json>) },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '503': errorResponse('No warehouse snapshot has been published yet.'),
};

const segmentIdParameter: Json = {
  name: 'id',
  in: 'path',
  required: true,
  description: "A segment id from GET /api/v1/segments: 'saved-<n>' for a saved segment, 'model-<n>' for a model segment.",
  schema: { type: 'string', pattern: '^(saved|model)-[0-9]{1,15}$' },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Pulse segment API',
    version: '1.0.0',
    description: [
      'Pull customer segments from Pulse into a mailing tool or CRM.',
      '',
      'Authenticate with `Authorization: Bearer pulse_…` (create a token on the dashboard page "API tokens" or with `pulse api token create`). Cookies are not accepted.',
      "A token acts as its owner: it sees the owner's visible segments, and e-mail, phone and address are unmasked only when the token was created with personal data and the owner's role may see it.",
      'Each token may make PULSE_API_RATE_LIMIT requests per minute (default 60); over it the answer is 429 with Retry-After.',
      '',
      'Paging: members come in customer-id order. Pass `nextCursor` as `cursor` for the next page until it is null. The cursor pins the warehouse snapshot the walk started on; if a newer snapshot is published mid-walk the next page answers 410 Gone and the client starts again without a cursor. A finished walk therefore never has duplicates or gaps.',
      'Every member page is written to the audit log as an export with its row count and the token id.',
    ].join('\n'),
  },
  servers: [{ url: '/' }],
  security: [{ bearerToken: [] }],
  paths: {
    '/api/v1/segments': {
      get: {
        operationId: 'listSegments',
        summary: "Segments the token's owner may see",
        description: 'Scope segments:read. Saved segments (size from their latest evaluation) and the model segments of the published snapshot.',
        responses: {
          '200': {
            description: 'The segments.',
            headers: rateHeaders,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['segments', 'runId'],
                  properties: { segments: { type: 'array', items: { $ref: '#/components/schemas/Segment' } }, runId: { type: 'integer', description: 'The published snapshot run.' } },
                },
              },
            },
          },
          ...commonErrors,
        },
      },
    },
    '/api/v1/segments/{id}': {
      get: {
        operationId: 'getSegment',
        summary: 'One segment, sized on the published snapshot',
        description: 'Scope segments:read.',
        parameters: [segmentIdParameter],
        responses: {
          '200': {
            description: 'The segment.',
            headers: rateHeaders,
            content: { 'application/json': { schema: { type: 'object', required: ['segment'], properties: { segment: { $ref: '#/components/schemas/Segment' } } } } },
          },
          '400': errorResponse('The id is not of the form saved-<n> or model-<n>.'),
          '404': errorResponse('No such segment, or it is private to someone else.'),
          '409': errorResponse('The saved segment no longer compiles on the published snapshot.'),
          ...commonErrors,
        },
      },
    },
    '/api/v1/segments/{id}/members': {
      get: {
        operationId: 'listSegmentMembers',
        summary: 'A page of members in customer-id order',
        description: 'Scope members:read (the owner needs data:export). Each page is audited as an export.',
        parameters: [
          segmentIdParameter,
          { name: 'limit', in: 'query', required: false, description: 'Members per page, 1 to 1000.', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', required: false, description: "The previous page's nextCursor; omit for the first page.", schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'A page of members.', headers: rateHeaders, content: { 'application/json': { schema: { $ref: '#/components/schemas/MembersPage' } } } },
          '400': errorResponse('A bad id, limit or cursor (the message names which).'),
          '404': errorResponse('No such segment, or it is private to someone else.'),
          '409': errorResponse('The saved segment no longer compiles on the published snapshot.'),
          '410': errorResponse('A newer snapshot was published since the walk started: start again without a cursor.'),
          ...commonErrors,
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'pulse_<43 characters of base64url>',
        description: `A Pulse API token. Scopes: ${apiScopes.join(', ')}.`,
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string', examples: ['invalid_token', 'insufficient_scope', 'rate_limited', 'snapshot_changed'] }, message: { type: 'string' } },
          },
        },
      },
      Segment: {
        type: 'object',
        required: ['id', 'kind', 'name', 'membership', 'size', 'sizeRunId'],
        properties: {
          id: { type: 'string', examples: ['saved-12', 'model-3'] },
          kind: { type: 'string', enum: ['saved', 'model'] },
          name: { type: 'string' },
          nameZh: { type: ['string', 'null'], description: 'Chinese name of a model segment.' },
          description: { type: 'string' },
          membership: { type: 'string', enum: ['dynamic', 'static', 'model'] },
          shared: { type: ['boolean', 'null'], description: 'Saved segments: visible to everyone, not only the owner.' },
          size: { type: ['integer', 'null'], description: 'Members on the snapshot of sizeRunId.' },
          sizeRunId: { type: ['integer', 'null'] },
          updatedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Member: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'integer', description: 'Customer id.' },
          name: { type: ['string', 'null'] },
          email: { type: ['string', 'null'], description: 'Masked (a•••@example.com) unless the page is unmasked.' },
          phone: { type: ['string', 'null'], description: 'Masked (+86 •••• 8000) unless the page is unmasked.' },
          company: { type: ['string', 'null'] },
          region: { type: ['string', 'null'] },
          city: { type: ['string', 'null'] },
          churnRisk: { type: ['number', 'null'] },
          churnBand: { type: ['string', 'null'] },
          orders: { type: ['integer', 'null'] },
          revenue: { type: ['number', 'null'] },
          expectedValue12m: { type: ['number', 'null'] },
        },
      },
      MembersPage: {
        type: 'object',
        required: ['members', 'nextCursor', 'runId', 'unmasked'],
        properties: {
          members: { type: 'array', items: { $ref: '#/components/schemas/Member' } },
          nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page.' },
          runId: { type: 'integer', description: 'The snapshot run every page of this walk comes from.' },
          unmasked: { type: 'boolean' },
        },
      },
    },
  },
} satisfies { openapi: string; paths: Record<string, Json>; components: Record<string, Json> } & Record<string, Json>;
