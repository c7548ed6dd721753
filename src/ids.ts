/**
 * A random UUID v4 from `crypto.randomUUID()` (SPEC §4). That exists only in secure contexts (and some
 * embedded browsers expose it but throw), and widgets also run on plain-http pages: there, one is made
 * from `crypto.getRandomValues`, which exists everywhere.
 */
export function randomId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    // not a secure context: made below
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
