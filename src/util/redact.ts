/** Query parameters whose values are secrets in URLs this library handles. */
const SECRET_QUERY =
  /([?&](?:temp_url_sig|signature|sig|token|password|X-Amz-Signature|X-Auth-Token)=)[^&#\s"'<>]*/gi;
/** `scheme://user:password@host` */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]*@/gi;
/**
 * The 128 random bits ending the name of a secret image (`…/image-<uuid>-<22 base64url>`): what
 * keeps the floppy's URL from being guessed when it needs no signature. The tail of a UUID (which
 * also has 22 characters after a dash) is not one.
 */
const SECRET_NAME_SUFFIX =
  /(\/[^/\s?#"'<>]*-)(?![0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:[?#\s"'<>]|$))[A-Za-z0-9_-]{22}(?=[?#\s"'<>]|$)/g;

/** The text every redaction writes. */
export const REDACTED = '***';

/**
 * Removes secrets from a text before it reaches an error message or a log: every given secret
 * value (passwords, keys, tokens) and, in URLs, temp-URL signatures, tokens, userinfo passwords
 * and the random suffix of secret images' names (`/image-<uuid>-***`).
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
  return out
    .replace(SECRET_QUERY, `$1${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(SECRET_NAME_SUFFIX, `$1${REDACTED}`);
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
