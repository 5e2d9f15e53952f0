/**
 * An event id as the Redis store keeps it in a customer's set of ids. The events route takes
 * any id of up to 200 characters, and one cut between the two halves of a surrogate pair
 * holds half of one, which UTF-8 cannot hold: node-redis writes it as U+FFFD, so "e\ud800",
 * "e\udc00" and "e\ufffd" were one id there, and each event after the first was skipped as a
 * retry (acknowledged, never stored), where SQLite and the key-value stores keep them apart.
 */
import { isUnicodeText } from '../customer-id.js';

/**
 * The id as its UTF-8 bytes (node-redis sends a string so), or, when it holds half of a
 * surrogate pair, as WTF-8: that half as the three bytes UTF-8 would give its code unit, a
 * sequence no UTF-8 text has, so it is told apart from every other id, and ids stored before
 * keep their bytes.
 *
 * @example
 * eventIdMember('e-42'); // 'e-42'
 * eventIdMember('e\ud800'); // <Buffer 65 ed a0 80>
 */
export function eventIdMember(id: string): string | Buffer {
  if (isUnicodeText(id)) return id;
  const bytes: number[] = [];
  // By code point: a whole pair is one, half of one comes alone.
  for (const character of id) {
    const code = character.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(...Buffer.from(character, 'utf8'));
  }
  return Buffer.from(bytes);
}
