/** Hides what a value must never show in an error or a log: credentials inside URLs. */

// Everything up to the last `@` of the item counts as credentials: a password may hold `/`, `:` or `@`.
const SCHEME_USERINFO = /([a-z][a-z\d+.-]*:\/\/)([^\s,]*)@/gi;
// `user:password@` without a proper scheme, e.g. a URL that was refused for lacking one.
const BARE_USERINFO = /(^|[\s,;|/])([^\s,;|/?#:@]+):(?!\/\/)([^\s,]*)@/g;
const SECRET_PARAM = /([?&;](?:password|passwd|pass|pwd|secret|token|access_token|key|api_key|apikey)=)[^&;#\s]*/gi;

const maskUserinfo = (userinfo: string): string => {
  const colon = userinfo.indexOf(':');
  // No colon: the whole user part may be a token (https://token@host).
  return colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`;
};

/**
 * Masks credentials wherever a value holds URLs: `http://user:secret@host` becomes `http://user:***@host`,
 * `https://token@host` becomes `https://***@host`, and `?password=secret` becomes `?password=***`.
 * It errs on the side of hiding: an `@` in a path may hide part of it.
 */
export function maskCredentials(value: string): string {
  return value
    .replace(SCHEME_USERINFO, (_, scheme: string, userinfo: string) => `${scheme}${maskUserinfo(userinfo)}@`)
    .replace(BARE_USERINFO, (_, before: string, user: string) => `${before}${user}:***@`)
    .replace(SECRET_PARAM, '$1***');
}
