/** One measured figure, written as a table row of docs/BENCHMARKS.md. */
export interface BenchFigure {
  /** What is compared, e.g. "event append, 1 event per call". */
  name: string
  /** The variant, e.g. "SQLite (node:sqlite)" or "PostgreSQL 15 (loopback)". */
  variant: string
  value: number
  unit: string
  note?: string
}

export interface Bench {
  /** Section title in docs/BENCHMARKS.md. */
  title: string
  /** The command that reproduces this section alone. */
  command: string
  run(): Promise<BenchFigure[]>
}
