/** An EngineClient that runs the engine host on the calling thread (tests, Node). */
import type { EngineClient } from './engine-client';
import { createEngineHost, type HostEnvironment } from './engine-host';

export function createInProcessClient(env: HostEnvironment): EngineClient {
  const host = createEngineHost(env);
  return { ...host, dispose: () => {} };
}
