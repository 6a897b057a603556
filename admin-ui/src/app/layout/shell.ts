import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { SessionStore } from '../auth/session-store';
import { ActiveJobsCount } from './active-jobs-count';
import { HealthIndicator } from './health-indicator';
import { NAV_ITEMS } from './nav-items';

/** The console's frame: toolbar, side navigation and the routed page. */
@Component({
  selector: 'cl-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatButtonModule,
    HealthIndicator,
  ],
  providers: [ActiveJobsCount],
  template: `
    <div class="shell" data-testid="app-shell">
      <header class="toolbar-host">
        <mat-toolbar class="toolbar">
          <button
            matIconButton
            type="button"
            class="menu-toggle"
            aria-label="Toggle navigation"
            data-testid="nav-toggle"
            [attr.aria-expanded]="navOpen()"
            (click)="toggleNav()"
          >
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
              <path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor" />
            </svg>
          </button>
          <a class="brand" routerLink="/curriculum" data-testid="brand">Courseloom</a>
          <span class="spacer"></span>
          <cl-health-indicator />
          @if (session.user(); as user) {
            <span class="who" data-testid="current-user">
              <span data-testid="current-user-email">{{ user.email }}</span>
              <span class="org" data-testid="current-organization">{{ user.organization.name }}</span>
            </span>
          }
          <button
            matButton
            type="button"
            class="sign-out"
            data-testid="sign-out"
            [disabled]="signingOut()"
            (click)="signOut()"
          >
            Sign out
          </button>
        </mat-toolbar>
      </header>

      <mat-sidenav-container class="container">
        <mat-sidenav
          class="sidenav"
          [mode]="sidenavMode()"
          [opened]="navOpen()"
          (openedChange)="navOpen.set($event)"
        >
          <nav aria-label="Main">
            <mat-nav-list>
              @for (item of navItems(); track item.testId) {
                @switch (item.link.kind) {
                  @case ('route') {
                    <a
                      mat-list-item
                      [routerLink]="item.link.path"
                      routerLinkActive
                      #rla="routerLinkActive"
                      [activated]="rla.isActive"
                      [attr.data-testid]="item.testId"
                      (click)="closeIfHandset()"
                      >{{ item.label }}
                      @if (item.activeJobsBadge && activeJobs(); as count) {
                        <span
                          class="count"
                          data-testid="nav-active-jobs"
                          [attr.aria-label]="count + ' active generation jobs'"
                          >{{ count }}</span
                        >
                      }
                    </a>
                  }
                  @case ('external') {
                    <a
                      mat-list-item
                      [href]="item.link.href"
                      target="_blank"
                      rel="noopener"
                      [attr.data-testid]="item.testId"
                      >{{ item.label }} <span class="external" aria-hidden="true">↗</span
                      ><span class="visually-hidden"> (opens in a new tab)</span></a
                    >
                  }
                }
              }
            </mat-nav-list>
          </nav>
        </mat-sidenav>

        <mat-sidenav-content>
          <main class="content">
            <router-outlet />
          </main>
        </mat-sidenav-content>
      </mat-sidenav-container>
    </div>
  `,
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(SessionStore);
  /** The nav, without the operators' items for everyone else. */
  protected readonly navItems = computed(() => {
    const operator = this.session.user()?.is_operator === true;
    return NAV_ITEMS.filter((item) => operator || !item.operatorsOnly);
  });
  private readonly router = inject(Router);
  protected readonly activeJobs = inject(ActiveJobsCount).count;
  protected readonly signingOut = signal(false);

  /** On narrow screens the nav floats over the page and closes after a click. */
  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe(Breakpoints.Handset)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly sidenavMode = computed(() => (this.handset() ? 'over' : 'side'));

  /** Open by default on wide screens, closed on handsets; resets when the breakpoint changes. */
  protected readonly navOpen = linkedSignal(() => !this.handset());

  protected toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  protected closeIfHandset(): void {
    if (this.handset()) {
      this.navOpen.set(false);
    }
  }

  /** Ends the session (SessionStore.signOut, best effort) and goes to the sign-in page. */
  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    await this.session.signOut(); // never rejects
    this.signingOut.set(false);
    void this.router.navigateByUrl('/login');
  }
}
