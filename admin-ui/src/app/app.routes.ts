import { Routes } from '@angular/router';

/**
 * Paths are relative to the base href `/admin/`: route `course-generation-queue`
 * is served at `/admin/course-generation-queue`. Every page is lazy-loaded.
 */
export const routes: Routes = [
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
    path: '**',
    title: 'Page not found · Courseloom',
    loadComponent: () => import('./layout/not-found-page').then((m) => m.NotFoundPage),
  },
];
