// Sending a JSON request from a client component and reading Pulse's answer: `{ error: { message } }`
// on failure (dashboard/lib/server/session.ts jsonError), anything else on success.
export interface JsonAnswer<T> {
  ok: boolean;
  status: number;
  body: T & { error?: { code?: string; message?: string; field?: string } };
}

export async function sendJson<T = Record<string, unknown>>(url: string, body?: unknown, method: 'POST' | 'PUT' | 'DELETE' = 'POST'): Promise<JsonAnswer<T>> {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await response.json().catch(() => ({}))) as JsonAnswer<T>['body'];
    return { ok: response.ok, status: response.status, body: parsed };
  } catch (error) {
    // Offline, or the server went away: shown like any other failure.
    return { ok: false, status: 0, body: { error: { message: (error as Error).message } } } as JsonAnswer<T>;
  }
}

export function errorText<T>(answer: JsonAnswer<T>, fallback: string): string {
  return answer.body.error?.message ?? fallback;
}
