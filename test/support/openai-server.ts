/**
 * A local OpenAI-compatible server for tests (vitest and Playwright) and manual use. It listens on
 * 127.0.0.1 only, streams chat completions over SSE, and can be told to misbehave per request.
 *
 *   import { startOpenAIServer } from '../support/openai-server.ts';
 *   const server = await startOpenAIServer({ apiKey: 'sk-test-...' });
 *   server.baseUrl                       // http://127.0.0.1:PORT/v1
 *   server.enqueue({ kind: 'rate-limit', retryAfter: '1' }, { kind: 'server-error' });
 *   server.enqueueFor('example-7', { kind: 'drop', afterChunks: 2 });
 *   server.stats().chatRequests; server.requests; server.countForPrompt(prompt)
 *   await server.close();
 *
 * From another process (Playwright's browser side, or by hand) the same controls are HTTP:
 *   GET /__admin/stats, POST /__admin/enqueue {behaviours, match?}, POST /__admin/reset,
 *   POST /__admin/config {defaultAnswer?, chunkDelayMs?, reasoningField?}.
 * Command line: npx tsx test/support/openai-server.ts --port 8787 [--api-key KEY] [--delay MS] [--reasoning-field F]
 *
 * The reasoning is deterministic: `reasoningText(prompt, answer)` (exported), which names a digest
 * of the prompt and ends with "So the answer is ANSWER.". The answer is, first found: the
 * behaviour's `answer`, the last `<<answer:X>>` marker in the prompt, the server's defaultAnswer.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export type Behaviour =
  /**
   * Streams (or returns) the deterministic reasoning; with `reasoningField` (or the server's), as a
   * reasoning model does: the reasoning in that field, only "So the answer is X." in `content`.
   */
  | { kind: 'normal'; answer?: string; chunkDelayMs?: number; fragment?: boolean; reasoningField?: ReasoningField }
  /** Like normal, with `chunkDelayMs` between chunks (default 50). */
  | { kind: 'slow'; chunkDelayMs?: number; answer?: string }
  /** 429 with a Retry-After header (seconds or HTTP date) when given. */
  | { kind: 'rate-limit'; retryAfter?: string }
  /** 500 (or `status`), optionally with Retry-After. */
  | { kind: 'server-error'; status?: number; retryAfter?: string }
  /** After `afterChunks` good chunks (default 2) one chunk of broken JSON, then the stream ends. */
  | { kind: 'malformed-chunk'; afterChunks?: number }
  /** After `afterChunks` good chunks (default 2) the socket is destroyed. */
  | { kind: 'drop'; afterChunks?: number }
  /** An error object inside the stream after `afterChunks` chunks (default 1), as OpenRouter/OpenAI do. */
  | { kind: 'stream-error'; afterChunks?: number; message?: string }
  /** Headers and one comment, then nothing until the client goes away (stall). */
  | { kind: 'hang' }
  /** 401 whatever key was sent. */
  | { kind: 'auth-failure' }
  /** A complete response with no text at all (finish_reason "stop"). */
  | { kind: 'empty' };

/**
 * Where a reasoning model's chain of thought goes: `reasoning_content` (vLLM's reasoning parsers,
 * DeepSeek's API) or `reasoning` (Ollama, OpenRouter, newer vLLM); `delta.X` when streaming, `message.X`
 * otherwise. A response cut at max tokens inside the reasoning has an empty (streamed) or null (JSON) content.
 */
export type ReasoningField = 'reasoning_content' | 'reasoning';

export interface OpenAIServerOptions {
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; a wrong key gets 401. */
  apiKey?: string | null;
  models?: string[];
  /** Delay between stream chunks for normal responses (default 0). */
  chunkDelayMs?: number;
  defaultAnswer?: string;
  /** 'when-asked' (default): usage chunk only with stream_options.include_usage. */
  sendUsage?: 'when-asked' | 'always' | 'never';
  /** Every normal response as a reasoning model's (null or absent: the reasoning is in `content`). */
  reasoningField?: ReasoningField | null;
}

export interface LoggedRequest {
  seq: number;
  method: string;
  /** Path and query as received: tests assert no key ever appears here. */
  url: string;
  model: string | undefined;
  stream: boolean;
  prompt: string;
  promptDigest: string;
  /** The JSON body as received (without headers, so the key is not in it). */
  body: Record<string, unknown>;
  behaviour: Behaviour['kind'];
  status: number;
}

export interface ServerStats {
  /** POST /v1/chat/completions requests (any outcome). */
  chatRequests: number;
  /** Of those, the ones that streamed/returned a complete answer. */
  completed: number;
  modelsRequests: number;
  preflights: number;
  /** Most requests in flight at once. */
  maxConcurrent: number;
  inFlight: number;
}

export interface StartedOpenAIServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** http://127.0.0.1:PORT/v1, the base URL a provider uses. */
  baseUrl: string;
  port: number;
  /** Behaviours for the next chat requests, in arrival order. */
  enqueue(...behaviours: Behaviour[]): void;
  /** Behaviours for the next requests whose prompt contains `match` (checked before the plain queue). */
  enqueueFor(match: string, ...behaviours: Behaviour[]): void;
  configure(options: Pick<OpenAIServerOptions, 'defaultAnswer' | 'chunkDelayMs' | 'reasoningField'>): void;
  readonly requests: readonly LoggedRequest[];
  stats(): ServerStats;
  /** How many chat requests carried exactly this prompt (all message contents joined by "\n"). */
  countForPrompt(prompt: string): number;
  /** Forgets requests, counters, queued behaviours and a configured reasoning field. */
  reset(): void;
  close(): Promise<void>;
}

export function promptDigest(prompt: string): string {
  return createHash('sha256').update(prompt).digest('hex').slice(0, 12);
}

export function reasoningText(prompt: string, answer: string): string {
  const { reasoning, content } = reasoningModelText(prompt, answer);
  return `${reasoning} ${content}`;
}

/** What a reasoning model sends for `prompt` (reasoningField set): its reasoning, and the final answer as content. */
export function reasoningModelText(prompt: string, answer: string): { reasoning: string; content: string } {
  const words = prompt.split(/\s+/).filter(Boolean).length;
  return {
    reasoning: `Reasoning for prompt ${promptDigest(prompt)}: the prompt has ${words} words. First I read the question, then I check the passage for it.`,
    content: `So the answer is ${answer}.`,
  };
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, content-type, accept',
  // Without this a browser cannot read Retry-After on a cross-origin response.
  'Access-Control-Expose-Headers': 'retry-after, retry-after-ms',
  'Access-Control-Max-Age': '600',
};

export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<StartedOpenAIServer> {
  const state = {
    chunkDelayMs: options.chunkDelayMs ?? 0,
    defaultAnswer: options.defaultAnswer ?? 'yes',
    reasoningField: options.reasoningField ?? null,
    queue: [] as Behaviour[],
    matchQueues: [] as { match: string; behaviours: Behaviour[] }[],
    requests: [] as LoggedRequest[],
    stats: { chatRequests: 0, completed: 0, modelsRequests: 0, preflights: 0, maxConcurrent: 0, inFlight: 0 },
  };
  const models = options.models ?? ['fake-reasoner'];
  const sendUsage = options.sendUsage ?? 'when-asked';

  const nextBehaviour = (prompt: string): Behaviour => {
    for (const entry of state.matchQueues) {
      if (entry.behaviours.length > 0 && prompt.includes(entry.match)) return entry.behaviours.shift()!;
    }
    return state.queue.shift() ?? { kind: 'normal' };
  };

  const reset = () => {
    state.queue = [];
    state.matchQueues = [];
    state.requests = [];
    // A reasoning model set up by one test must not answer the next one's requests.
    state.reasoningField = options.reasoningField ?? null;
    Object.assign(state.stats, { chatRequests: 0, completed: 0, modelsRequests: 0, preflights: 0, maxConcurrent: 0 });
  };

  const handleChat = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
    const prompt = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const stream = body.stream === true;
    state.stats.chatRequests += 1;
    const entry: LoggedRequest = {
      seq: state.stats.chatRequests,
      method: req.method ?? 'POST',
      url: req.url ?? '',
      model: typeof body.model === 'string' ? body.model : undefined,
      stream,
      prompt,
      promptDigest: promptDigest(prompt),
      body,
      behaviour: 'normal',
      status: 200,
    };
    state.requests.push(entry);

    if (options.apiKey) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${options.apiKey}`) {
        entry.behaviour = 'auth-failure';
        entry.status = 401;
        // Like some real servers, echo what was sent: the client must scrub it.
        const sent = auth.replace(/^Bearer\s+/i, '');
        sendJson(res, 401, { error: { message: `Incorrect API key provided: ${sent}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
    }
    if (typeof body.model === 'string' && !models.includes(body.model)) {
      entry.status = 404;
      sendJson(res, 404, { error: { message: `The model '${body.model}' does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
      return;
    }

    const behaviour = nextBehaviour(prompt);
    entry.behaviour = behaviour.kind;
    switch (behaviour.kind) {
      case 'auth-failure':
        entry.status = 401;
        sendJson(res, 401, { error: { message: 'Invalid authentication.', type: 'invalid_request_error' } });
        return;
      case 'rate-limit':
        entry.status = 429;
        sendJson(res, 429, { error: { message: 'Rate limit reached, slow down.', type: 'rate_limit_error' } }, retryAfterHeader(behaviour.retryAfter));
        return;
      case 'server-error': {
        entry.status = behaviour.status ?? 500;
        sendJson(res, entry.status, { error: { message: 'The server had an error processing your request.', type: 'server_error' } }, retryAfterHeader(behaviour.retryAfter));
        return;
      }
      default:
        break;
    }

    const answer = ('answer' in behaviour && behaviour.answer) || lastAnswerMarker(prompt) || state.defaultAnswer;
    const model = entry.model ?? models[0] ?? 'fake-reasoner';
    const reasoningField = behaviour.kind === 'normal' && behaviour.reasoningField !== undefined ? behaviour.reasoningField : state.reasoningField;
    const full = reasoningModelText(prompt, answer);
    // Without a reasoning field the whole text is content; max tokens and stop cut reasoning and content as one text.
    const parts = behaviour.kind === 'empty' ? { reasoning: '', content: '' } : reasoningField ? full : { reasoning: '', content: `${full.reasoning} ${full.content}` };
    const { reasoning, content, finishReason } = applyLimits(parts, body);
    const completionTokens = countWords(reasoning) + countWords(content);
    const usage = {
      prompt_tokens: countWords(prompt),
      completion_tokens: completionTokens,
      total_tokens: countWords(prompt) + completionTokens,
      ...(reasoningField ? { completion_tokens_details: { reasoning_tokens: countWords(reasoning) } } : {}),
    };
    if (!stream) {
      const message: Record<string, unknown> = { role: 'assistant', content: reasoningField && content === '' ? null : content };
      if (reasoningField) message[reasoningField] = reasoning;
      sendJson(res, 200, {
        id: `chatcmpl-${entry.seq}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message, finish_reason: finishReason }],
        ...(sendUsage === 'never' ? {} : { usage }),
      });
      state.stats.completed += 1;
      return;
    }

    state.stats.inFlight += 1;
    state.stats.maxConcurrent = Math.max(state.stats.maxConcurrent, state.stats.inFlight);
    try {
      const completed = await streamReasoning(res, {
        behaviour,
        id: `chatcmpl-${entry.seq}`,
        model,
        reasoning,
        content,
        reasoningField,
        finishReason,
        usage: sendUsage === 'always' || (sendUsage === 'when-asked' && wantsUsage(body)) ? usage : null,
        chunkDelayMs: behaviour.kind === 'slow' ? (behaviour.chunkDelayMs ?? 50) : behaviour.kind === 'normal' && behaviour.chunkDelayMs !== undefined ? behaviour.chunkDelayMs : state.chunkDelayMs,
      });
      if (completed) state.stats.completed += 1;
    } finally {
      state.stats.inFlight -= 1;
    }
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (path === '/__admin/stats') {
      sendJson(res, 200, { stats: { ...state.stats }, requests: state.requests.map(({ body: _body, ...rest }) => rest) });
      return;
    }
    const body = req.method === 'POST' ? ((JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>)) : {};
    if (path === '/__admin/reset') reset();
    else if (path === '/__admin/enqueue') {
      const behaviours = (Array.isArray(body.behaviours) ? body.behaviours : []) as Behaviour[];
      if (typeof body.match === 'string') api.enqueueFor(body.match, ...behaviours);
      else api.enqueue(...behaviours);
    } else if (path === '/__admin/config') {
      api.configure(body);
    } else {
      sendJson(res, 404, { error: { message: `no admin route ${path}` } });
      return;
    }
    sendJson(res, 200, { ok: true });
  };

  const server: Server = createServer((req, res) => {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = async () => {
      if (req.method === 'OPTIONS') {
        state.stats.preflights += 1;
        res.writeHead(204).end();
      } else if (path.startsWith('/__admin/')) await handleAdmin(req, res, path);
      else if (req.method === 'GET' && path === '/v1/models') {
        state.stats.modelsRequests += 1;
        if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
          sendJson(res, 401, { error: { message: 'Invalid authentication.', type: 'invalid_request_error' } });
        } else sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'test' })) });
      } else if (req.method === 'POST' && path === '/v1/chat/completions') await handleChat(req, res);
      else sendJson(res, 404, { error: { message: `no route ${req.method ?? ''} ${path}` } });
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `test server failed: ${String(error)}` } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const api: StartedOpenAIServer = {
    origin,
    baseUrl: `${origin}/v1`,
    port,
    enqueue: (...behaviours) => state.queue.push(...behaviours),
    enqueueFor: (match, ...behaviours) => {
      const existing = state.matchQueues.find((q) => q.match === match);
      if (existing) existing.behaviours.push(...behaviours);
      else state.matchQueues.push({ match, behaviours: [...behaviours] });
    },
    configure: (config) => {
      if (config.defaultAnswer !== undefined) state.defaultAnswer = config.defaultAnswer;
      if (config.chunkDelayMs !== undefined) state.chunkDelayMs = config.chunkDelayMs;
      if (config.reasoningField !== undefined) state.reasoningField = config.reasoningField;
    },
    get requests() {
      return state.requests;
    },
    stats: () => ({ ...state.stats }),
    countForPrompt: (prompt) => state.requests.filter((r) => r.prompt === prompt).length,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return api;
}

interface StreamPlan {
  behaviour: Behaviour;
  id: string;
  model: string;
  reasoning: string;
  content: string;
  /** The delta field `reasoning` goes in (null: there is none, and `reasoning` is ''). */
  reasoningField: ReasoningField | null;
  finishReason: 'stop' | 'length';
  usage: Record<string, unknown> | null;
  chunkDelayMs: number;
}

/** Streams one response; returns true when it sent a complete answer and [DONE] to a client still there. */
async function streamReasoning(res: ServerResponse, plan: StreamPlan): Promise<boolean> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    JSON.stringify({ id: plan.id, object: 'chat.completion.chunk', created, model: plan.model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
  const { behaviour } = plan;
  const fragment = behaviour.kind === 'normal' && behaviour.fragment === true;
  const send = async (data: string) => {
    if (res.destroyed) return;
    const event = `data: ${data}\n\n`;
    if (fragment) {
      // Split each event across two writes (and TCP packets) to exercise the client's buffering.
      const cut = Math.floor(event.length / 2);
      res.write(event.slice(0, cut));
      await sleep(1);
      res.write(event.slice(cut));
    } else res.write(event);
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
  };

  res.write(': keep-alive comment, not an event\n\n');
  if (behaviour.kind === 'hang') {
    await new Promise<void>((resolve) => res.on('close', () => resolve()));
    return false;
  }
  // Reasoning words first (in the reasoning field), then the content's, one word a chunk.
  const pieces = [
    ...(plan.reasoning.match(/\S+\s*/g) ?? []).map((text) => ({ field: plan.reasoningField ?? 'content', text })),
    ...(plan.content.match(/\S+\s*/g) ?? []).map((text) => ({ field: 'content', text })),
  ];
  const failAt =
    behaviour.kind === 'drop' || behaviour.kind === 'malformed-chunk'
      ? (behaviour.afterChunks ?? 2)
      : behaviour.kind === 'stream-error'
        ? (behaviour.afterChunks ?? 1)
        : Infinity;
  await send(chunk({ role: 'assistant', content: '' }, null));
  for (let i = 0; i < pieces.length; i += 1) {
    if (i === failAt) {
      if (behaviour.kind === 'drop') {
        // Let the chunks already written reach the client, then cut the connection mid-answer.
        await sleep(20);
        res.destroy();
        return false;
      }
      if (behaviour.kind === 'malformed-chunk') {
        await send('{"id":"broken","choices":[{"delta":{"content":"unterminated');
        res.end('data: [DONE]\n\n');
        return false;
      }
      if (behaviour.kind === 'stream-error') {
        await send(JSON.stringify({ error: { message: behaviour.message ?? 'The model is overloaded.', code: 503 } }));
        res.end();
        return false;
      }
    }
    const piece = pieces[i]!;
    await send(chunk({ [piece.field]: piece.text }, null));
  }
  await send(chunk({}, plan.finishReason));
  if (plan.usage) await send(JSON.stringify({ id: plan.id, object: 'chat.completion.chunk', created, model: plan.model, choices: [], usage: plan.usage }));
  // A client that went away (an aborted request) did not get the answer: not completed.
  const delivered = !res.destroyed;
  res.end('data: [DONE]\n\n');
  return delivered;
}

interface LimitedText {
  reasoning: string;
  content: string;
  finishReason: 'stop' | 'length';
}

/**
 * Honours stop sequences in the content (cut before the first) and max tokens over reasoning and
 * content together (one word = one token here): a small max tokens cuts inside the reasoning and
 * leaves no content, as a reasoning model that thinks past its budget does.
 */
function applyLimits(parts: { reasoning: string; content: string }, body: Record<string, unknown>): LimitedText {
  let content = parts.content;
  const stops = Array.isArray(body.stop) ? body.stop : typeof body.stop === 'string' ? [body.stop] : [];
  for (const stop of stops) {
    if (typeof stop !== 'string' || stop === '') continue;
    const at = content.indexOf(stop);
    if (at >= 0) content = content.slice(0, at);
  }
  const max = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : typeof body.max_tokens === 'number' ? body.max_tokens : Infinity;
  const reasoningWords = parts.reasoning.match(/\S+\s*/g) ?? [];
  const contentWords = content.match(/\S+\s*/g) ?? [];
  if (reasoningWords.length + contentWords.length <= max) return { reasoning: parts.reasoning, content, finishReason: 'stop' };
  const keptReasoning = reasoningWords.slice(0, max);
  const keptContent = contentWords.slice(0, Math.max(0, max - reasoningWords.length));
  return { reasoning: keptReasoning.join('').trimEnd(), content: keptContent.join('').trimEnd(), finishReason: 'length' };
}

function lastAnswerMarker(prompt: string): string | undefined {
  const matches = [...prompt.matchAll(/<<answer:([^>]*)>>/g)];
  return matches.at(-1)?.[1]?.trim() || undefined;
}

function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return typeof options === 'object' && options !== null && (options as Record<string, unknown>).include_usage === true;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function retryAfterHeader(value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { 'Retry-After': value };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Command line: npx tsx test/support/openai-server.ts --port 8787 [--api-key KEY] [--delay MS] [--reasoning-field reasoning_content|reasoning]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const started = await startOpenAIServer({
    port: Number(arg('--port') ?? 8787),
    apiKey: arg('--api-key') ?? null,
    chunkDelayMs: Number(arg('--delay') ?? 30),
    reasoningField: (arg('--reasoning-field') as ReasoningField | undefined) ?? null,
  });
  console.log(`OpenAI-compatible test server: base URL ${started.baseUrl} (model "fake-reasoner"); Ctrl-C stops it.`);
}
