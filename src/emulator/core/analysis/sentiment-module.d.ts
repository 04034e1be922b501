// Minimal typings for the `sentiment` and `vader-sentiment` packages (they ship none).
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

declare module 'vader-sentiment' {
  interface PolarityScores {
    neg: number
    neu: number
    pos: number
    compound: number
  }
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores } }
  export default vader
}
