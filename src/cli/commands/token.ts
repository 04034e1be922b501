// `symbl token`: prints an access token for curl and debugging. Only the token: the app secret is
// never printed, and the token goes to stdout alone so `$(symbl token)` works.
import { expectPositionals, parse } from '../args.js'
import type { Context } from '../context.js'

export const USAGE = 'symbl token [--json]'

export const HELP = `Usage: ${USAGE}

Prints an access token made from the app id and secret (SYMBL_APP_ID/SYMBL_APP_SECRET or
symbl.conf), for curl and debugging: curl -H "x-api-key: $(symbl token)" https://api.symbl.ai/…
With --json: {"accessToken", "expiresAt"} (expiresAt in ISO 8601, when known). Treat the token as
a password until it expires.`

export async function run(ctx: Context, args: string[]): Promise<void> {
  const { positionals } = parse(args, {})
  expectPositionals(positionals, 0, USAGE)
  const { accessToken, expiresAt } = await ctx.symbl.tokens.info(ctx.signal)
  if (ctx.out.json) ctx.out.printJson({ accessToken, expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString() })
  else ctx.out.print(accessToken)
}
