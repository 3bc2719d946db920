// What a session shows of its device: the address it came from and its parsed user agent.
import UAParser from 'ua-parser-js';

export interface ClientInfo {
  ipAddress: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string;
}

const MAX_UA_LENGTH = 512;

function joinParts(...parts: (string | undefined)[]): string | null {
  const text = parts.filter(Boolean).join(' ');
  return text === '' ? null : text;
}

/**
 * The client of one request. The user agent is parsed on first use only: most requests never
 * create a session, and parsing is costly next to the rest of a cached request.
 * A class, so that the getters are shared and a subscription's context holds three fields.
 */
class DescribedClient implements ClientInfo {
  private parsed: Omit<ClientInfo, 'ipAddress'> | undefined;

  constructor(
    readonly ipAddress: string | null,
    private readonly rawUserAgent: string | null,
  ) {}

  private ua(): Omit<ClientInfo, 'ipAddress'> {
    return (this.parsed ??= parseUserAgent(this.rawUserAgent));
  }

  get userAgent(): string | null {
    return this.ua().userAgent;
  }

  get browser(): string | null {
    return this.ua().browser;
  }

  get os(): string | null {
    return this.ua().os;
  }

  get deviceType(): string {
    return this.ua().deviceType;
  }
}

export function describeClient(ipAddress: string | null, rawUserAgent: string | null): ClientInfo {
  return new DescribedClient(ipAddress, rawUserAgent);
}

export function parseUserAgent(raw: string | null): Omit<ClientInfo, 'ipAddress'> {
  // Control characters (tab, C1 bytes read as Latin-1) are no part of a name worth showing or storing.
  const userAgent = raw ? raw.replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_UA_LENGTH) || null : null;
  if (!userAgent) return { userAgent: null, browser: null, os: null, deviceType: 'unknown' };
  const ua = new UAParser(userAgent).getResult();
  const deviceType = ua.device.type ?? (ua.browser.name || ua.os.name ? 'desktop' : 'unknown');
  return {
    userAgent,
    browser: joinParts(ua.browser.name, ua.browser.major),
    os: joinParts(ua.os.name, ua.os.version),
    deviceType,
  };
}
