// `thinnest-chat-proxy create-key`: creates an Agent API key from an account token (SPEC §1) and shows it once.
import { DEFAULT_API_BASE } from './proxy.js';
import { describeError, withoutCredentials } from './upstream.js';
import { redactor } from '../src/rules.js';

export interface CreateKeyRequest {
  name: string;
  accountToken: string;
  agentId: string;
  apiBase?: string;
  fetch?: typeof fetch;
}

export type CreateKeyResult = { ok: true; key: string } | { ok: false; message: string };

/** POST {base}/agents/{agent_id}/api-keys with the account token; the key comes back only this once. */
export async function createAgentKey(request: CreateKeyRequest): Promise<CreateKeyResult> {
  const base = (request.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const url = `${base}/agents/${encodeURIComponent(request.agentId)}/api-keys`;
  const redact = redactor(request.accountToken);
  const hide = (text: string) => withoutCredentials(redact(text));
  const where = withoutCredentials(base);
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${request.accountToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name: request.name }),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return { ok: false, message: hide(`Could not reach ${where}: ${describeError(error)}`) };
  }
  if (response.status === 401 || response.status === 403) return { ok: false, message: 'THINNESTAI_TOKEN was rejected (401/403): check the account token.' };
  if (response.status === 404) return { ok: false, message: `Agent ${request.agentId} was not found (404): check THINNEST_AGENT_ID.` };
  if (!response.ok) return { ok: false, message: `thinnest.ai answered ${response.status}; no key was created.` };
  const key = findKey(await response.json().catch(() => undefined));
  if (key === undefined) return { ok: false, message: 'thinnest.ai answered without a key in a shape this tool knows; check the dashboard.' };
  // Never printed or written as it is: a line break in it would add settings of the API's choosing to .env.
  if (!isAgentKey(key)) {
    return {
      ok: false,
      message: `${where} answered with something that is not an Agent API key (agno_ and printable characters, no spaces or line breaks); ` +
        'nothing was printed or written. Check THINNEST_API_BASE, and delete any key this created in the dashboard.',
    };
  }
  return { ok: true, key };
}

/** agno_ then printable ASCII without the characters a .env line reads otherwise (# starts a comment; quotes, backslash); at most 512. */
function isAgentKey(key: string): boolean {
  return /^agno_[\x21-\x7e]{1,507}$/.test(key) && !/[#"'`\\]/.test(key);
}

/** The key is the first `agno_…` string in the answer, or else the first of the usual field names. */
function findKey(body: unknown): string | undefined {
  const strings: [string, string][] = [];
  const walk = (value: unknown, field: string, depth: number) => {
    if (depth > 4) return;
    if (typeof value === 'string') strings.push([field, value]);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
  };
  walk(body, '', 0);
  return (
    strings.find(([, value]) => value.startsWith('agno_'))?.[1] ??
    strings.find(([field]) => ['key', 'api_key', 'apiKey', 'secret', 'token'].includes(field))?.[1]
  );
}

/** The lines printed after creation; the warning comes with the key because it is the only chance. */
export function announceKey(name: string, key: string): string[] {
  return [
    `Created Agent API key "${name}":`,
    '',
    `  ${key}`,
    '',
    'Copy it now: it cannot be shown again. Keep it on the server (THINNEST_API_KEY), never in a web page.',
  ];
}

/** Whether the text of a .env sets the variable (`NAME=…` or `export NAME=…`). */
export function dotEnvDefines(existing: string, name: string): boolean {
  return new RegExp(`^\\s*(export\\s+)?${name}\\s*=`, 'm').test(existing);
}

/**
 * The text to append to an existing .env (or undefined when it already sets the key, so a working
 * key is never silently shadowed), with THINNEST_AGENT_ID too when the file lacks it.
 */
export function envAppendix(existing: string, key: string, agentId: string): string | undefined {
  if (dotEnvDefines(existing, 'THINNEST_API_KEY')) return undefined;
  const lines = [`THINNEST_API_KEY=${key}`];
  if (!dotEnvDefines(existing, 'THINNEST_AGENT_ID')) lines.push(`THINNEST_AGENT_ID=${agentId}`);
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${separator}${lines.join('\n')}\n`;
}
