import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { SCREENSHOT_DIR } from "./harness.ts";

/**
 * A page that records every console error and uncaught exception. A failed request the test
 * provokes on purpose (a 400 to see the error display) is declared first with `expectFailure`
 * and tolerated once; anything else fails the run.
 */
export class WatchedPage {
  readonly errors: string[] = [];
  private readonly expected: { path: string; status: number }[] = [];
  private readonly shots: string[] = [];

  private constructor(readonly page: Page) {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const where = message.location().url;
      const status = /status of (\d{3})/.exec(message.text())?.[1];
      const at = this.expected.findIndex(
        (e) => where.includes(e.path) && String(e.status) === status,
      );
      if (at >= 0) this.expected.splice(at, 1);
      else this.errors.push(`${message.text()} (${where})`);
    });
    page.on("pageerror", (error) => this.errors.push(`uncaught: ${error.message}`));
  }

  static async open(context: BrowserContext): Promise<WatchedPage> {
    return new WatchedPage(await context.newPage());
  }

  /** Declares that the next request to a path containing `path` answers `status` on purpose. */
  expectFailure(path: string, status: number): void {
    this.expected.push({ path, status });
  }

  /** Waits for loading placeholders to go, then saves a full-page screenshot under `name`. */
  async shot(name: string): Promise<void> {
    await this.page.waitForLoadState("networkidle");
    // Only loading placeholders are busy; result lines that stay on screen (also role=status,
    // so screen readers announce them) must not hold the screenshot back.
    await this.page
      .locator('[role="status"][aria-busy="true"]')
      .first()
      .waitFor({ state: "detached", timeout: 15_000 })
      .catch(() => undefined);
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    this.shots.push(name);
  }

  get screenshots(): readonly string[] {
    return this.shots;
  }
}
