/** Query parameters whose values are secrets in URLs this library handles. */
const SECRET_QUERY =
  /([?&](?:temp_url_sig|signature|sig|token|password|X-Amz-Signature|X-Auth-Token)=)[^&#\s"'<>]*/gi;
/** `scheme://user:password@host` */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]*@/gi;

/** The text every redaction writes. */
export const REDACTED = '***';

/**
 * Removes secrets from a text before it reaches an error message or a log: every given secret
 * value (passwords, keys, tokens) and, in URLs, temp-URL signatures, tokens and userinfo passwords.
 *
 * @example
 * ```ts
 * redact('GET https://swift/v1/a/c/o?temp_url_sig=abc&temp_url_expires=1', []);
 * // 'GET https://swift/v1/a/c/o?temp_url_sig=***&temp_url_expires=1'
 * ```
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out.replace(SECRET_QUERY, `$1${REDACTED}`).replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * A URL safe to log: the signature and token query parameters and userinfo password removed.
 *
 * @example
 * ```ts
 * redactUrl('https://u:pw@host/x?temp_url_sig=1'); // 'https://u:***@host/x?temp_url_sig=***'
 * ```
 */
export function redactUrl(url: string): string {
  return redact(url);
}
