import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random bytes in a campaign token: 192 bits. */
const TOKEN_BYTES = 24;

/** A new campaign token: 192 random bits as 32 base64url characters, safe in a URL path. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The SHA-256 of a token: what the service stores and looks tokens up by (never the token itself). */
export function tokenSha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Whether two digests are equal, in time that does not depend on where they differ. Tokens are looked
 * up by their digest, so the time a lookup takes tells nothing about any token; this compares the
 * digest found with the one asked for before the campaign is served.
 */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A URL path with every campaign token replaced by `[token]` and the query string left out, for logs and messages. */
export function redactedPath(url: string): string {
  const path = url.split('?', 1)[0]!;
  return path.replace(/(\/campaign\/)[^/]*/g, '$1[token]');
}
