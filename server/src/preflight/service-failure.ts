import { redactUrl } from '../database/data-source-options';

/** The two services Courseloom cannot start without. */
export type ServiceName = 'PostgreSQL' | 'Redis';

interface ServiceFacts {
  variable: string;
  defaultPort: number;
  minimum: string;
  /** How to install and start it from a distribution's package. */
  packages: string;
}

const SERVICES: Record<ServiceName, ServiceFacts> = {
  PostgreSQL: {
    variable: 'DATABASE_URL',
    defaultPort: 5432,
    minimum: '13',
    packages:
      'Debian/Ubuntu: `sudo apt-get install postgresql`; macOS: `brew install postgresql@17 && brew services start postgresql@17`',
  },
  Redis: {
    variable: 'REDIS_URL',
    defaultPort: 6379,
    minimum: '6.2',
    packages:
      'Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis && brew services start redis`',
  },
};

/** The one command that starts both services with Docker (docker/compose.yml). */
export const DOCKER_SERVICES_COMMAND =
  'docker compose --env-file .env -f docker/compose.yml up -d postgres redis';

/** A service Courseloom needs is missing or refuses it; the message is the whole explanation (no stack needed). */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

type Failure =
  | { kind: 'absent'; reason: string }
  | { kind: 'login'; reason: string }
  | { kind: 'no-password' }
  | { kind: 'no-database'; reason: string };

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: { code?: unknown }[] } | undefined;
  // Node's happy-eyeballs connect reports an AggregateError; its parts carry the code.
  const code = e?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What went wrong, in words, for the failures an operator fixes outside Courseloom; undefined for anything else. */
function classify(err: unknown, address: string, host: string): Failure | undefined {
  const code = errorCode(err);
  const message = errorMessage(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'absent', reason: `nothing answers at ${address}` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return { kind: 'absent', reason: `the host name "${host}" does not resolve` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'absent', reason: `${address} cannot be reached (no route to it)` };
    case 'ETIMEDOUT':
      return {
        kind: 'absent',
        reason: `${address} did not answer in time (a firewall, or the wrong host or port?)`,
      };
    case '28P01': // invalid_password
    case '28000': // invalid_authorization_specification: unknown role, no pg_hba.conf entry
      return { kind: 'login', reason: message };
    case '3D000':
      return { kind: 'no-database', reason: message };
  }
  // pg and ioredis report their own time-outs without a code.
  if (/timeout expired|timed out|connection timeout/i.test(message)) {
    return {
      kind: 'absent',
      reason: `${address} did not answer in time (a firewall, or the wrong host or port?)`,
    };
  }
  if (/^NOAUTH\b/.test(message)) return { kind: 'no-password' };
  if (/^WRONGPASS\b|invalid password|invalid username-password/i.test(message)) {
    return { kind: 'login', reason: 'the user name or password was refused' };
  }
  return undefined;
}

/**
 * A short paragraph for a failure to reach or log in to `service` at `url`: which service, which variable and
 * address, and how to get the service (README, "Prerequisites"). Undefined when `err` is not such a failure.
 */
export function describeServiceFailure(service: ServiceName, url: string, err: unknown): string | undefined {
  const facts = SERVICES[service];
  let host = '';
  let port = facts.defaultPort;
  let scheme = 'redis:';
  try {
    const parsed = new URL(url);
    scheme = parsed.protocol;
    host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (parsed.port) port = Number(parsed.port);
  } catch {
    // The config schema validated the URL; a message without the address is still useful.
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const setting = `${facts.variable}=${redactUrl(url)}`;
  const failure = classify(err, address, host);
  if (!failure) return undefined;
  switch (failure.kind) {
    case 'absent':
      return (
        `Courseloom needs ${service}, and ${failure.reason} (${setting}). ` +
        `Start ${service} ${facts.minimum} or later — from your distribution's package (${facts.packages}) ` +
        `or with Docker: \`${DOCKER_SERVICES_COMMAND}\` — or set ${facts.variable} to a ${service} you have. ` +
        'See README.md, "Prerequisites".'
      );
    case 'login':
      return (
        `${service} at ${address} refused Courseloom's login: ${failure.reason} (${setting}). ` +
        `Set the user and password in ${facts.variable} to ones that server accepts.`
      );
    case 'no-password':
      return (
        `${service} at ${address} requires a password, and ${facts.variable} has none (${setting}). ` +
        `Put it in ${facts.variable}: ${scheme}//:<password>@${address} (or ${scheme}//<user>:<password>@… for an ACL user).`
      );
    case 'no-database':
      return (
        `${service} at ${address} answers, but ${failure.reason} (${setting}). ` +
        'Create it with `npm run db:create` (`npm start` does that itself).'
      );
  }
}
