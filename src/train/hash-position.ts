/**
 * A stable position in [0, 1) for a string key: FNV-1a (32 bits), then murmur3's 32-bit
 * finaliser. FNV-1a alone barely moves the top bits when only the last character changes,
 * so sequential ids (c1, c2, ...) would cluster; the finaliser spreads them. The same key
 * gives the same position on every machine, process and run, with nothing stored: the
 * plugin's hold-out and exploration, and seeded splits by customer, are built on it.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_THE_32 = 4294967296;

/**
 * The key's position, uniform over keys.
 *
 * @example
 * hashPosition('churnkit\u0000customer-42'); // the same number on every call
 */
export function hashPosition(key: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / TWO_TO_THE_32;
}
