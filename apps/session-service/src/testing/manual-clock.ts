import type { Clock } from '../domain/clock';

/** A clock tests move by hand, to reach idle and absolute expiry without waiting. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
