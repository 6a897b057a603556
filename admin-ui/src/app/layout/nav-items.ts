/** One entry of the side navigation. */
export interface NavItem {
  readonly label: string;
  /** Stable hook for unit and e2e tests. */
  readonly testId: string;
  /** An in-app route (relative to the base href) or an external URL served by the API. */
  readonly link:
    { readonly kind: 'route'; readonly path: string } | { readonly kind: 'external'; readonly href: string };
  /** Shows the number of active generation jobs next to the label. */
  readonly activeJobsBadge?: boolean;
  /** Only for operators of the installation (`is_operator`); others would get a 403. */
  readonly operatorsOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Curriculum', testId: 'nav-curriculum', link: { kind: 'route', path: '/curriculum' } },
  { label: 'New Course', testId: 'nav-new-course', link: { kind: 'route', path: '/courses/new' } },
  {
    label: 'Generation Queue',
    testId: 'nav-generation-queue',
    link: { kind: 'route', path: '/course-generation-queue' },
    activeJobsBadge: true,
  },
  { label: 'Usage', testId: 'nav-usage', link: { kind: 'route', path: '/usage' } },
  // Budgets: owners edit, admins read (docs/costs.md, "Budgets and estimates").
  { label: 'Settings', testId: 'nav-settings', link: { kind: 'route', path: '/settings' } },
  // Bull Board is served by the API, outside the Angular app: a plain link in a new tab. It shows every
  // organization's queues, so only operators see the link (the API refuses everyone else with 403).
  {
    label: 'Queue inspector',
    testId: 'nav-queue-inspector',
    link: { kind: 'external', href: '/admin/queues' },
    operatorsOnly: true,
  },
];
