// Splits long synchronous work into short turns of the event loop. The desktop app serves its
// window and runs the engine on one event loop, so a big import, index read or link resolution
// hands the loop back every few milliseconds instead of holding it until the work is done.

/** Milliseconds of synchronous work in one turn before the event loop gets the thread back. */
export const TURN_BUDGET_MS = 5;

/** Resolves once the event loop has run its timers and handled pending I/O. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Measures the current turn against a budget of synchronous work. */
export class TurnBudget {
  private started = performance.now();

  constructor(private readonly budgetMs: number = TURN_BUDGET_MS) {}

  /** True once this turn has used its budget. */
  get spent(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Yields to the event loop when the budget is spent, then starts a new turn. */
  async pace(): Promise<void> {
    if (this.spent) await this.next();
  }

  /** Yields to the event loop and starts a new turn. */
  async next(): Promise<void> {
    await yieldToEventLoop();
    this.started = performance.now();
  }
}
