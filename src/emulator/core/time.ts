// Time helpers shared by analysis and streaming.

export const iso = (ms: number): string => new Date(ms).toISOString()

export const round = (value: number, decimals = 3): number => {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()

/** Google-style `{seconds, nanos}` with string fields, as in recognition_result words. */
export const protoDuration = (seconds: number): { seconds: string; nanos: string } => {
  const whole = Math.floor(seconds)
  return { seconds: String(whole), nanos: String(Math.round((seconds - whole) * 1e9)) }
}
