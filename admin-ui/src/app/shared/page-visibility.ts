import { DOCUMENT } from '@angular/common';
import { InjectionToken, inject } from '@angular/core';
import { Observable, distinctUntilChanged, fromEvent, map, shareReplay, startWith } from 'rxjs';

/**
 * Whether the browser tab is visible: emits the current state at once, then every change.
 * Pollers gate on it so a hidden tab sends no requests. Tests provide a Subject instead.
 */
export const PAGE_VISIBLE = new InjectionToken<Observable<boolean>>('PAGE_VISIBLE', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return fromEvent(document, 'visibilitychange').pipe(
      map(() => !document.hidden),
      startWith(!document.hidden),
      distinctUntilChanged(),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  },
});
