// Request bodies, read with limits (issue #6 hostile input): a body larger than the route needs is
// refused with 413 before it is held in memory, bytes that are not UTF-8 with 400, and JSON that does
// not parse with 400 naming the problem. Routes then validate the parsed value with zod.
import 'server-only';
import type { NextRequest } from 'next/server';
import { ApiError } from './session.ts';

/** Every form and JSON body of the dashboard fits in a few kilobytes. */
export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(max: number): ApiError {
  return new ApiError(413, 'body_too_large', `The request body is larger than ${Math.round(max / 1024)} KB.`);
}

/** Refuses by Content-Length at once, else counts while reading (a chunked body has no length). */
export async function readBodyBytes(request: NextRequest, max = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) throw tooLarge(max);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function readBodyText(request: NextRequest, max = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBodyBytes(request, max);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'bad_encoding', 'The request body is not valid UTF-8.');
  }
}

export async function readJsonBody(request: NextRequest, max = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(request, max);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'bad_json', `The body must be JSON: ${(error as Error).message}`);
  }
}

/**
 * A browser form (application/x-www-form-urlencoded) or a JSON object, as a plain object of fields.
 * Anything else (another content type, a JSON array or string) is refused naming what was expected.
 */
export async function readFormOrJson(request: NextRequest, max = MAX_BODY_BYTES): Promise<{ fields: Record<string, unknown>; isJson: boolean }> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const value = await readJsonBody(request, max);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'bad_json', 'The body must be a JSON object.');
    return { fields: value as Record<string, unknown>, isJson: true };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { fields: Object.fromEntries(new URLSearchParams(await readBodyText(request, max))), isJson: false };
  }
  if (type === 'multipart/form-data') {
    // A multipart body is parsed whole by the platform, so its size must be known before it is read.
    const declared = request.headers.get('content-length');
    if (declared === null) throw new ApiError(411, 'length_required', 'A multipart body needs a Content-Length.');
    if (Number(declared) > max) throw tooLarge(max);
    try {
      const form = await request.formData();
      return { fields: Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')), isJson: false };
    } catch {
      throw new ApiError(400, 'bad_form', 'The multipart form could not be read.');
    }
  }
  throw new ApiError(415, 'unsupported_media_type', 'The body must be a form (application/x-www-form-urlencoded) or JSON (application/json).');
}

/** For requests that take no body (DELETE): a body is refused rather than ignored, so a malformed request changes nothing. */
export async function requireNoBody(request: NextRequest): Promise<void> {
  const bytes = await readBodyBytes(request);
  if (bytes.length > 0) throw new ApiError(400, 'unexpected_body', 'This request takes no body.');
}
