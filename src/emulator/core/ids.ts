// Identifier formats from the contract (section 1): conversationIds are numeric strings of 16
// digits, jobIds and telephony connectionIds are UUIDs. Web Crypto only, so the core also runs in
// browsers (the msw front).

export function uuid(): string {
  return globalThis.crypto.randomUUID()
}

/** An unguessable key (128 random bits, base64url-like alphabet): the capability in page URLs. */
export function secretKey(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A 16-digit numeric id as a string (never a JSON number: it exceeds 2^53). */
export function numericId(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  let digits = String(1 + (bytes[0] % 9))
  for (let i = 1; i < 16; i++) digits += String(bytes[i] % 10)
  return digits
}

/** Deterministic UUID-shaped id (v4 layout) from a string. */
export function stableUuid(key: string): string {
  const hex = [0, 1, 2, 3]
    .map((i) =>
      Number(stableNumericId(`${i}:${key}`))
        .toString(16)
        .padStart(14, '0')
        .slice(-8),
    )
    .join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** Deterministic 16-digit id from a string (stable ids for trackers, topics...). */
export function stableNumericId(key: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ c, 0x85ebca6b) >>> 0
  }
  const digits = `${h1 % 100000000}`.padStart(8, '0') + `${h2 % 100000000}`.padStart(8, '0')
  return (digits[0] === '0' ? '1' : digits[0]) + digits.slice(1)
}
