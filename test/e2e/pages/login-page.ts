import { type Locator, type Page, expect } from '@playwright/test';

import { ADMIN } from './credentials';

export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.email = page.getByTestId('login-email');
    this.password = page.getByTestId('login-password');
    this.submit = page.getByTestId('login-submit');
    this.error = page.getByTestId('login-error');
  }

  async goto(returnUrl?: string): Promise<void> {
    await this.page.goto(
      returnUrl ? `/admin/login?returnUrl=${encodeURIComponent(returnUrl)}` : '/admin/login',
    );
  }

  async signIn(email = ADMIN.email, password = ADMIN.password): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Open `path` (under /admin), signing in on the way when asked to. */
  static async open(page: Page, path: string): Promise<void> {
    await page.goto(`/admin${path}`);
    const login = new LoginPage(page);
    if (/\/admin\/login/.test(page.url()) || (await login.email.isVisible().catch(() => false))) {
      await login.signIn();
    }
    await expect(page.getByTestId('app-shell')).toBeVisible();
  }
}
