import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * A vitest file's test server: started before the file's tests, reset after each test, closed after them all.
 * Returns a getter for the started server, to call inside tests and helpers (it throws before beforeAll has run).
 */
export function serverPerFile<Server extends { reset(): void; close(): Promise<void> }>(start: () => Promise<Server>, name: string): () => Server {
  let server: Server | undefined;
  beforeAll(async () => {
    server = await start();
  });
  afterEach(() => server?.reset());
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error(`the ${name} starts in beforeAll: use it inside a test`);
    return server;
  };
}
