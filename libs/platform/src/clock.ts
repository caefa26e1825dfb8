import { readFileSync } from 'node:fs';

/** Where domain code gets the time from; tests replace it with a fixed or movable clock. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date): void {
    this.instant = instant;
  }
}

/** The instant written in a file, read at every call: a test moves the clock of a server running in another process. */
export class FileClock extends Clock {
  constructor(private readonly path: string) {
    super();
  }
  now(): Date {
    const instant = new Date(readFileSync(this.path, 'utf8').trim());
    if (Number.isNaN(instant.getTime())) throw new Error(`${this.path} holds no instant`);
    return instant;
  }
}
