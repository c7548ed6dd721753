// Reads a body while counting bytes, so a chunked body without Content-Length cannot exceed the cap.

export type BodyReadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too_large' | 'unreadable' | 'timeout' };

/**
 * Reads the body of a request or response within maxBytes and, when given, timeoutMs. A request
 * with a declared Content-Length is framed by the HTTP layer, so it is read in one go (much
 * cheaper than a web stream on Node); everything else (chunked requests, and every fetched
 * answer, whose Content-Length counts compressed bytes that fetch inflates) is counted as it arrives.
 * A body that trickles in slower than timeoutMs allows is given up on, so a slow client cannot
 * hold a request (and its memory) open for as long as it likes.
 */
export async function readBodyWithin(message: Request | Response, maxBytes: number, timeoutMs?: number): Promise<BodyReadResult> {
  const declared = message.headers.get('content-length');
  const hasDeclared = declared !== null && /^\d+$/.test(declared);
  if (hasDeclared && Number(declared) > maxBytes) {
    message.body?.cancel().catch(() => {}); // not wanted; a failed cancel changes nothing
    return { ok: false, reason: 'too_large' };
  }
  // A 200 KB gzip answer can inflate to 200 MB: only a request's declared length bounds what a whole read holds.
  const reading = hasDeclared && message instanceof Request ? readDeclared(message, maxBytes) : readLimitedBody(message.body, maxBytes);
  if (timeoutMs === undefined) return reading;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<BodyReadResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
  });
  try {
    const result = await Promise.race([reading, late]);
    // Stop reading what is no longer wanted; the stream may already be locked or done, which changes nothing.
    if (!result.ok && result.reason === 'timeout') cancelQuietly(message);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

async function readDeclared(message: Request, maxBytes: number): Promise<BodyReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await message.arrayBuffer());
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  return bytes.byteLength > maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, bytes }; // a hand-built Request can lie
}

/** Cancels a body that is not wanted; a locked, finished or unreadable one changes nothing. */
export function cancelQuietly(message: Request | Response): void {
  try {
    message.body?.cancel().catch(() => {});
  } catch {
    // a locked stream cannot be cancelled from here; its reader ends with the connection
  }
}

/** Reads at most maxBytes of a stream; stops reading (and cancels the stream) the moment it would exceed them. */
export async function readLimitedBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BodyReadResult> {
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => {}); // the rest of the body is not wanted; a failed cancel changes nothing
        return { ok: false, reason: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  return { ok: true, bytes: concat(chunks, total) };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
