// The ```ts blocks of a markdown file, for type-checking (test/consumers/typescript/check.mjs).
// A block right after `<!-- ts-check: skip (reason) -->` is marked skipped: a fragment that cannot compile
// (pseudo-code, signatures). `node scripts/readme-snippets.mjs README.md` lists a file's blocks.
import { readFileSync } from 'node:fs'

/** @returns {{ line: number, code: string, skip: string | null }[]} line: the fence's line (1-based) */
export function readmeSnippets(file) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const out = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i])) continue
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l))
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed \`\`\`ts block`)
    let k = i - 1
    while (k >= 0 && lines[k].trim() === '') k--
    const skip = lines[k]?.match(/^<!--\s*ts-check:\s*skip\s*(.*?)\s*-->$/)
    out.push({
      line: i + 1,
      code: lines.slice(i + 1, end).join('\n'),
      skip: skip ? skip[1].replace(/^\((.*)\)$/, '$1') || 'skipped' : null,
    })
    i = end
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    for (const s of readmeSnippets(file))
      console.log(`${file}:${s.line} ${s.code.split('\n').length} lines${s.skip ? ` (skip: ${s.skip})` : ''}`)
  }
}
