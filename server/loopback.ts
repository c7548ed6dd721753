// Whether a request reached a loopback-only server addressed to loopback: shared by the CLI and by
// anyone serving createProxy() on 127.0.0.1 (exported from thinnest-chat/proxy). No Node built-ins.

/** localhost, *.localhost (never looked up in DNS by browsers), 127.0.0.0/8 or [::1], with or without a port. */
export function isLoopbackHost(host: string): boolean {
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname; // normalises 127.1, 0x7f.0.0.1, LOCALHOST and [0:0::1]
  } catch {
    return false;
  }
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Whether a request to a loopback-only server was addressed to loopback, by its Host header and by
 * its target (an absolute-form `POST http://evil.example/api/chat` names its own host). A page on
 * evil.example whose DNS name was rebound to 127.0.0.1 reaches such a server as its own origin, so
 * the Origin check alone would let it chat with the key; browsers always send that page's own name
 * as Host, which this refuses. Serve createProxy() on loopback only behind this check. A server
 * whose Request carries no Host header (some adapters leave it out) passes the one it received.
 */
export function addressedToLoopback(request: Request, hostHeader: string | null | undefined = request.headers.get('host')): boolean {
  return isLoopbackHost(new URL(request.url).host) && (hostHeader == null || isLoopbackHost(hostHeader));
}
