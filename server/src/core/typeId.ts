/**
 * TypeIDs for new patterns: `pat_` and a UUIDv7 (millisecond time, then
 * random bits) in 26 lowercase Crockford base32 characters.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function uuidV7Bytes(now: number, random: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set(random.subarray(0, 16));
  let time = Math.floor(now);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes;
}

/** 128 bits as 26 base32 characters: 2 leading zero bits, then 5 bits a character. */
export function encodeTypeIdSuffix(bytes: Uint8Array): string {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 25; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

export function newTypeId(prefix: string, now: number, random: Uint8Array): string {
  return `${prefix}_${encodeTypeIdSuffix(uuidV7Bytes(now, random))}`;
}

/** Randomness from the platform (Node 20 and browsers both have Web Crypto). */
export function randomBytes(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}
