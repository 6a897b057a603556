import { Routes } from '@angular/router';

import { authGuard } from './auth/auth-guard';
import { Shell } from './layout/shell';

/**
 * Paths are relative to the base href `/admin/`: route `course-generation-queue`
 * is served at `/admin/course-generation-queue`. Every page is lazy-loaded; the shell (toolbar and
 * nav) wraps every page but the sign-in page, and only signed-in users get in.
 */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Courseloom',
    loadComponent: () => import('./auth/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    component: Shell,
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'curriculum' },
      {
        path: 'curriculum',
        title: 'Curriculum · Courseloom',
        loadComponent: () => import('./curriculum/curriculum-page').then((m) => m.CurriculumPage),
      },
      {
        path: 'courses/new',
        title: 'New course · Courseloom',
        loadComponent: () => import('./wizard/wizard-page').then((m) => m.WizardPage),
      },
      {
        path: 'courses/:id',
        title: 'Course · Courseloom',
        loadComponent: () => import('./course/course-page').then((m) => m.CoursePage),
      },
      {
        path: 'course-generation-queue',
        title: 'Generation Queue · Courseloom',
        loadComponent: () => import('./queue/queue-page').then((m) => m.QueuePage),
      },
      {
        path: 'course-generation-queue/:jobId',
        title: 'Generation job · Courseloom',
        loadComponent: () => import('./queue/job-page/job-page').then((m) => m.JobPage),
      },
      {
        path: 'usage',
        title: 'Usage · Courseloom',
        loadComponent: () => import('./usage/usage-page').then((m) => m.UsagePage),
      },
      {
        path: 'settings',
        title: 'Settings · Courseloom',
        loadComponent: () => import('./settings/settings-page').then((m) => m.SettingsPage),
      },
      {
        path: '**',
        title: 'Page not found · Courseloom',
        loadComponent: () => import('./layout/not-found-page').then((m) => m.NotFoundPage),
      },
    ],
  },
];
