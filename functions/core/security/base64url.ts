/**
 * Strict base64url (RFC 4648 section 5, no padding), for signatures and token parts. Node's own decoder skips
 * what it does not know (`=`, `+`, `/`, spaces) and ignores stray bits, so many spellings would decode to the
 * same bytes: a token must have exactly one.
 */
const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** The bytes of `text`, or undefined when it is not canonical unpadded base64url. */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Unused low bits of the last character must be zero: re-encoding gives the same text.
  return bytes.toString('base64url') === text ? bytes : undefined;
}
