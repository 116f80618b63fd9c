import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The one place that uses eventsource-parser (STYLE.md, practice 6). */

export interface SseEvent {
  /** 1-based position of the event in the stream, for error messages ("chunk 3"). */
  index: number;
  /** Event type when the server named one (`event: error`), else undefined. */
  event: string | undefined;
  /** The event's data; several `data:` lines are joined with "\n" (SSE spec). */
  data: string;
}

export class SseIdleTimeoutError extends Error {
  override readonly name = 'SseIdleTimeoutError';
  constructor(readonly idleTimeoutMs: number) {
    super(`no data from the server for ${Math.round(idleTimeoutMs / 1000)} s`);
  }
}

export interface ReadSseOptions {
  /** Fails with SseIdleTimeoutError when no bytes arrive for this long (0 or undefined: never). */
  idleTimeoutMs?: number;
}

/**
 * Reads a server-sent-events body and yields its events in order. Comments (`: keep-alive`) and
 * `retry:`/`id:` fields are not events. An event not closed by a blank line when the body ends is
 * dropped, as the SSE spec says. Read errors (connection reset, abort) are thrown as they come
 * from the body; the caller classifies them. Stopping the iteration early cancels the body.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>, options: ReadSseOptions = {}): AsyncGenerator<SseEvent> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let index = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await readWithIdleTimeout(reader, options.idleTimeoutMs ?? 0);
      if (done) {
        parser.feed(decoder.decode());
        finished = true;
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
      for (let message = pending.shift(); message; message = pending.shift()) {
        index += 1;
        yield { index, event: message.event, data: message.data };
      }
      if (finished) return;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function readWithIdleTimeout(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleTimeoutMs: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (idleTimeoutMs <= 0) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SseIdleTimeoutError(idleTimeoutMs)), idleTimeoutMs);
  });
  return Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
}
