/**
 * Cross-origin isolation added by the service worker: the headers a host would send so that
 * `crossOriginIsolated` is true (SharedArrayBuffer, so tfjs's WASM backend runs threads). What
 * coi-serviceworker did for every response, now for the precached ones too. No DOM.
 */

/** COOP/COEP make the page isolated; CORP lets an isolated page embed the response. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * `response` with the isolation headers set. An opaque response (status 0: a cross-origin
 * no-cors fetch) cannot be read or rebuilt and is returned as it is.
 */
export function withIsolation(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
