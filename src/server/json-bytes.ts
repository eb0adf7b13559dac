// JSON has no bytes: the browser edition sends a Uint8Array as {"$bytes": "<base64>"}
// (see src/renderer/src/lib/http-api.ts, which encodes the same way).

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function isBytesWrapper(value: unknown): value is { $bytes: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && keys[0] === '$bytes'
}

/**
 * Replaces every {"$bytes": base64} in parsed JSON with a Uint8Array. A wrapper whose value is
 * not base64 is left as it is, so the schema check then refuses the call with a clear message.
 */
export function reviveBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveBytes)
  if (isBytesWrapper(value)) {
    const encoded = value.$bytes
    if (typeof encoded !== 'string' || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return value
    const buffer = Buffer.from(encoded, 'base64')
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  }
  if (typeof value === 'object' && value !== null) {
    const revived: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) {
      // defineProperty, not assignment: a "__proto__" key from JSON must stay a plain key
      // (and be refused by the strict schemas) rather than replace the prototype.
      Object.defineProperty(revived, key, { value: reviveBytes(entry), enumerable: true, writable: true, configurable: true })
    }
    return revived
  }
  return value
}

/** JSON.stringify replacer: Uint8Array → {"$bytes": base64}. */
export function bytesReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value
}
