/** Told the duration of every database operation (the metrics implement it; the repository reports). */
export interface DbObserver {
  observeDbOperation(operation: string, seconds: number): void;
}
