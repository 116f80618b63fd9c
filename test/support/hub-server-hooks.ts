import { startHubServer, type HubServerOptions, type StartedHubServer } from './hub-server.ts';
import { serverPerFile } from './server-per-file.ts';

/**
 * A vitest file's Hub test server on 127.0.0.1: started before the file's tests, reset after each test (requests
 * and faults), closed after them all. Returns a getter for the started server, to call inside tests.
 */
export function hubServerPerFile(options: HubServerOptions): () => StartedHubServer {
  return serverPerFile(() => startHubServer(options), 'Hub test server');
}
