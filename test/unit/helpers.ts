// What the unit tests of the pure modules build their inputs from.
import type { ChatMessage } from '../../src/types.js';

/** A stored message: `text <id>` from the visitor at `createdAt`, unless `extra` says otherwise. */
export function message(id: string, createdAt: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: 'user', text: `text ${id}`, createdAt, ...extra };
}

/** A stored envelope of version 1 holding one message, with `value` laid over it. */
export function envelope(value: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, sessionId: 'session-1', messages: [message('a', 1)], ...value });
}

/** Whether `text` is a string that contains `part` (what chai calls `contain`). */
export function includes(text: string | null | undefined, part: string): boolean {
  return typeof text === 'string' && text.includes(part);
}
