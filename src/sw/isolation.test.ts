import { describe, expect, it } from 'vitest';
import { withIsolation } from './isolation';

describe('withIsolation', () => {
  it('adds COOP, COEP and CORP and keeps the status, the other headers and the body', async () => {
    const response = withIsolation(
      new Response('hello', {
        status: 201,
        statusText: 'Created',
        headers: { 'Content-Type': 'text/plain', 'Cross-Origin-Opener-Policy': 'unsafe-none' },
      }),
    );
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('Content-Type')).toBe('text/plain');
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(await response.text()).toBe('hello');
  });

  it('leaves an opaque response (status 0) as it is', () => {
    const opaque = { status: 0 } as Response;
    expect(withIsolation(opaque)).toBe(opaque);
  });
});
