// Where the command line writes: results to stdout, progress and notes to stderr. Progress is drawn
// only when stderr is a terminal (or --progress asks), never with --json: a pipe gets clean output.

export interface OutputOptions {
  json: boolean
  /** --progress (true), --no-progress (false), or neither (undefined: when stderr is a terminal). */
  progress: boolean | undefined
  stdout?: NodeJS.WritableStream & { isTTY?: boolean }
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
}

export class Output {
  readonly json: boolean
  /** Whether progress lines are drawn on stderr. */
  readonly progress: boolean
  /** Whether stderr is a terminal (a progress line is then redrawn in place; else one line per update). */
  readonly live: boolean
  /** ANSI colours on stdout: a terminal, and NO_COLOR unset (https://no-color.org). */
  readonly colour: boolean
  readonly #stdout: NodeJS.WritableStream
  readonly #stderr: NodeJS.WritableStream & { columns?: number }
  #line = false

  constructor(options: OutputOptions) {
    const stdout = options.stdout ?? process.stdout
    const stderr = options.stderr ?? process.stderr
    this.#stdout = stdout
    this.#stderr = stderr
    this.json = options.json
    this.live = !!stderr.isTTY
    this.progress = !options.json && (options.progress ?? this.live)
    this.colour = !!stdout.isTTY && !process.env.NO_COLOR
  }

  /** Width for progress lines. */
  get columns(): number {
    return Math.max(40, Math.min(120, this.#stderr.columns ?? 80))
  }

  /** A result line on stdout. */
  print(text = ''): void {
    this.clearProgress()
    this.#stdout.write(`${text}\n`)
  }

  /** A value as JSON on stdout (--json). */
  printJson(value: unknown): void {
    this.#stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  /** One JSON value per line on stdout (--json streams). */
  printJsonLine(value: unknown): void {
    this.#stdout.write(`${JSON.stringify(value)}\n`)
  }

  /** A note on stderr (not with --json, where stdout is the only output that matters and stderr stays for errors). */
  note(text: string): void {
    if (this.json) return
    this.clearProgress()
    this.#stderr.write(`${text}\n`)
  }

  /** An error line on stderr: always shown. */
  error(text: string): void {
    this.clearProgress()
    this.#stderr.write(`${text}\n`)
  }

  /** Draws a progress line: redrawn in place on a terminal, else one line per call. */
  showProgress(text: string): void {
    if (!this.progress) return
    if (this.live) {
      this.#stderr.write(`\r\x1b[2K${text.slice(0, this.columns - 1)}`)
      this.#line = true
    } else this.#stderr.write(`${text}\n`)
  }

  /** Ends a progress line drawn in place, so the next output starts on a line of its own. */
  clearProgress(): void {
    if (!this.#line) return
    this.#stderr.write('\r\x1b[2K')
    this.#line = false
  }
}
