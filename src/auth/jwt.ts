// Reads the `exp` claim of a JWT without verifying it: the SDK only needs to know when to ask for a
// new token, and the server does the verifying.

export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1]
  if (!part) return undefined
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
    const json = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
    const exp = (JSON.parse(json) as { exp?: unknown }).exp
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
  } catch {
    return undefined
  }
}
