// The bench's terminal output: results on stdout, progress on stderr.
//
// A long synchronous step (a 45-60 s simulator run, building 16k tasks through
// a list) would leave the terminal silent, so the code doing the work calls
// `tick()` often; `tick()` is a clock read and a compare, and prints a line
// at most every few seconds. Estimates of the time left come from a plan of
// nominal step durations, scaled by how fast this machine has been so far.

/** Widest line the bench prints, in columns. */
export const MAX_COLUMNS = 100;

/** One step of the plan: a name and its nominal duration, in seconds. */
export interface PlannedStep {
  name: string;
  seconds: number;
}

/** Where lines go; replaced in tests. */
export interface Sink {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether stderr is a terminal: progress then redraws one line. */
  errIsTerminal: boolean;
  /** Whether stdout may carry colour (a terminal, and no `NO_COLOR`). */
  color: boolean;
}

const encoder = new TextEncoder();

/** The process's stdout and stderr. */
export function processSink(): Sink {
  return {
    out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    errIsTerminal: Deno.stderr.isTerminal(),
    color: Deno.stdout.isTerminal() && !Deno.noColor,
  };
}

/** Progress lines are printed at most this often, in milliseconds. */
const HEARTBEAT_MS = 4000;
/** A step expected to take longer than this is announced when it starts. */
const ANNOUNCE_SECONDS = 2;

/** `m:ss`, or `s s` under a minute. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Cuts `line` to `MAX_COLUMNS`, marking the cut. */
export function fit(line: string): string {
  return line.length <= MAX_COLUMNS
    ? line
    : `${line.slice(0, MAX_COLUMNS - 1)}…`;
}

/**
 * Results and progress of one bench run. Steps follow the plan in order;
 * `step(name)` starts the next one (its name must be in the plan) and
 * `tick(detail)` reports from inside it.
 */
export class Progress {
  readonly #sink: Sink;
  readonly #plan: PlannedStep[];
  readonly #now: () => number;
  readonly #started: number;
  #index = -1;
  #stepStarted = 0;
  /** Nominal seconds of the steps finished, and the real time they took. */
  #nominalDone = 0;
  #realDone = 0;
  #lastLine = 0;
  #statusShown = false;
  /** Fraction of the current step done, when the step knows it. */
  #fraction = 0;

  constructor(
    sink: Sink,
    plan: PlannedStep[],
    now: () => number = performance.now.bind(performance),
  ) {
    this.#sink = sink;
    this.#plan = plan;
    this.#now = now;
    this.#started = now();
    this.#lastLine = this.#started;
  }

  /** Prints a line of results on stdout. */
  line(text = ""): void {
    this.#clearStatus();
    for (const each of text.split("\n")) this.#sink.out(`${fit(each)}\n`);
    this.#lastLine = this.#now();
  }

  /** A heading on stdout, bold on a colour terminal. */
  heading(text: string): void {
    this.line();
    this.line(this.#sink.color ? `\x1b[1m${text}\x1b[0m` : text);
    this.line();
  }

  /** Starts the next planned step called `name`. */
  step(name: string): void {
    const now = this.#now();
    if (this.#index >= 0) {
      this.#nominalDone += this.#plan[this.#index]!.seconds;
      this.#realDone += (now - this.#stepStarted) / 1000;
    }
    const at = this.#plan.findIndex((s, i) =>
      i > this.#index && s.name === name
    );
    if (at < 0) throw new Error(`Step "${name}" is not in the plan`);
    this.#index = at;
    this.#stepStarted = now;
    this.#fraction = 0;
    if (this.#plan[at]!.seconds > ANNOUNCE_SECONDS) this.#status(name);
  }

  /** Starts step `name` unless it is the current one. */
  enter(name: string): void {
    if (this.#plan[this.#index]?.name !== name) this.step(name);
  }

  /**
   * Reports progress inside the current step, printing a line if none was
   * printed for a while. `fraction` is how much of the step is done, if
   * known. Cheap enough to call thousands of times a second.
   */
  tick(detail?: string, fraction?: number): void {
    if (fraction !== undefined) this.#fraction = fraction;
    const now = this.#now();
    if (now - this.#lastLine < HEARTBEAT_MS) return;
    const name = this.#plan[this.#index]?.name ?? "starting";
    this.#status(detail === undefined ? name : `${name}: ${detail}`);
  }

  /** Seconds since the run started. */
  get elapsedSeconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  /** Estimated seconds left: the plan's rest, at this machine's pace so far. */
  secondsLeft(): number {
    const current = this.#plan[this.#index];
    const stepElapsed = (this.#now() - this.#stepStarted) / 1000;
    // The pace: real over nominal seconds of the steps done, once there is
    // enough behind us to judge; 1 before that.
    const pace = this.#nominalDone >= 5
      ? this.#realDone / this.#nominalDone
      : 1;
    let left = 0;
    for (let i = this.#index + 1; i < this.#plan.length; i++) {
      left += this.#plan[i]!.seconds * pace;
    }
    if (current !== undefined) {
      const expected = this.#fraction > 0.05
        ? stepElapsed / this.#fraction
        : current.seconds * pace;
      // A step past its estimate gets a quarter of its time so far again:
      // a guess, but better than a countdown stuck at zero.
      left += expected > stepElapsed ? expected - stepElapsed : stepElapsed / 4;
    }
    return left;
  }

  /** Clears the progress line on a terminal; call before other output. */
  done(): void {
    this.#clearStatus();
  }

  #status(text: string): void {
    const prefix = `[bench ${formatDuration(this.elapsedSeconds)}, ~${
      formatDuration(this.secondsLeft())
    } left]`;
    const line = fit(`${prefix} ${text}`);
    if (this.#sink.errIsTerminal) {
      this.#sink.err(`\r\x1b[2K${line}`);
      this.#statusShown = true;
    } else {
      this.#sink.err(`${line}\n`);
    }
    this.#lastLine = this.#now();
  }

  #clearStatus(): void {
    if (!this.#statusShown) return;
    this.#sink.err("\r\x1b[2K");
    this.#statusShown = false;
  }
}
