import type { EnrichedEvent } from './enrich-event.step';
import { createAnonymizeIpStep } from './anonymize-ip.step';
import { createParseUserAgentStep, type DeviceInfo } from './parse-user-agent.step';
import { createResolveCountryStep } from './resolve-country.step';

/** What the collector knows about the request that carried a batch. */
export interface ClientRequest {
  /** The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted proxy. */
  ip?: string;
  /** The address of the peer that connected (the proxy, if there is one). */
  peer?: string;
  userAgent?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Made with the canary's write key: its events are marked (mark-canary.step.ts). */
  canary?: boolean;
}

export type ClientEnrichedEvent = EnrichedEvent & {
  context: NonNullable<EnrichedEvent['context']> & {
    device: DeviceInfo;
    is_bot: boolean;
    country?: string;
    ip?: string;
  };
};

/**
 * Adds to `context` what the server, not the client, vouches for: device, OS and browser from the
 * event's user agent (else the request's), the bot flag, the edge's country and the anonymised IP.
 * These overwrite any client-sent fields of the same names. The country headers are believed only
 * when the peer is a trusted proxy (anyone else could send them); by default no peer is.
 */
export function createEnrichClientStep(options: {
  countryHeaders: string[];
  isTrustedProxy?: (peer: string | undefined) => boolean;
}) {
  const isTrustedProxy = options.isTrustedProxy ?? (() => false);
  const parseUserAgent = createParseUserAgentStep();
  const anonymizeIp = createAnonymizeIpStep();
  const resolveCountry = createResolveCountryStep(options.countryHeaders);
  // A batch's events share one request: its country and address are worked out once for all of them.
  let last: { request: ClientRequest; country?: string; ip?: string } | undefined;
  return (event: EnrichedEvent, request: ClientRequest): ClientEnrichedEvent => {
    const { device, is_bot } = parseUserAgent(event.context?.user_agent ?? request.userAgent);
    if (last?.request !== request) {
      const country = isTrustedProxy(request.peer) ? resolveCountry(request.headers) : undefined;
      last = { request, country, ip: anonymizeIp(request.ip) };
    }
    // Copies, then fields set, for the speed of shared hidden classes (see enrich-event.step.ts).
    const context = Object.assign({}, event.context) as ClientEnrichedEvent['context'];
    context.device = device;
    context.is_bot = is_bot;
    // undefined (dropped by JSON) rather than absent, so a client-sent country or ip never survives.
    context.country = last.country;
    context.ip = last.ip;
    const enriched = Object.assign({}, event) as ClientEnrichedEvent;
    enriched.context = context;
    return enriched;
  };
}
