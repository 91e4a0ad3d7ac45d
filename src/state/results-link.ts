/**
 * The data of a "Share results" link's `results=` parameter (the page link, page-link.ts,
 * places it in the hash): the results JSON, deflated (the platform's CompressionStream,
 * 'deflate-raw') and written in base64url. A default run is about 3 KB of link. Reading is
 * bounded (at most MAX_RESULTS_BYTES once inflated) and validated against the results schema.
 */
import { resultsSchema, type Results } from '../schema/results';

/** Inflated size limit, against links that inflate to gigabytes. */
export const MAX_RESULTS_BYTES = 8 * 1024 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pump(
  input: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  limit = Infinity,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  void writer
    .write(input as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the results inflate to more than ${limit / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The `results` parameter's value for `results`. */
export async function encodeResults(results: Results): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(results));
  return toBase64Url(await pump(json, new CompressionStream('deflate-raw')));
}

/** Reads a `results` parameter; a readable reason instead of a throw when it cannot. */
export async function decodeResults(
  text: string,
): Promise<{ results: Results } | { error: string }> {
  let json: string;
  try {
    const bytes = fromBase64Url(text.trim());
    const inflated = await pump(bytes, new DecompressionStream('deflate-raw'), MAX_RESULTS_BYTES);
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (error) {
    const why =
      error instanceof Error && /inflate to more/.test(error.message)
        ? error.message
        : 'the data is damaged or cut short';
    return { error: `The shared run could not be read: ${why}.` };
  }
  return parseResultsJson(json, 'The shared run');
}

/** Parses and validates a results document (a shared link's, or an imported file's). */
export function parseResultsJson(
  json: string,
  what: string,
): { results: Results } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: `${what} could not be read: it is not JSON.` };
  }
  const parsed = resultsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'the document';
    return {
      error: `${what} is not a Pruning Lab results file (${where}: ${issue.message}).`,
    };
  }
  return { results: parsed.data };
}
