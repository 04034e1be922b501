// Minimal typings for the `sentiment` package (it ships none).
declare module 'sentiment' {
  interface AnalysisResult {
    score: number
    comparative: number
    tokens: string[]
    words: string[]
    positive: string[]
    negative: string[]
  }
  class Sentiment {
    analyze(phrase: string, options?: { extras?: Record<string, number> }): AnalysisResult
  }
  export default Sentiment
}
