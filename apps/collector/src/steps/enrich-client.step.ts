import type { EnrichedEvent } from './enrich-event.step';
import { createAnonymizeIpStep } from './anonymize-ip.step';
import { createParseUserAgentStep, type DeviceInfo } from './parse-user-agent.step';
import { createResolveCountryStep } from './resolve-country.step';

/** What the collector knows about the request that carried a batch. */
export interface ClientRequest {
  ip?: string;
  userAgent?: string;
  headers: Record<string, string | string[] | undefined>;
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
 * These overwrite any client-sent fields of the same names.
 */
export function createEnrichClientStep(options: { countryHeaders: string[] }) {
  const parseUserAgent = createParseUserAgentStep();
  const anonymizeIp = createAnonymizeIpStep();
  const resolveCountry = createResolveCountryStep(options.countryHeaders);
  return (event: EnrichedEvent, request: ClientRequest): ClientEnrichedEvent => {
    const { device, is_bot } = parseUserAgent(event.context?.user_agent ?? request.userAgent);
    const country = resolveCountry(request.headers);
    const ip = anonymizeIp(request.ip);
    return {
      ...event,
      // undefined (dropped by JSON) rather than absent, so a client-sent country or ip never survives.
      context: { ...event.context, device, is_bot, country, ip },
    };
  };
}
