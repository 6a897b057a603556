/** The owner `scripts/e2e-server.mjs` creates on first start (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@courseloom.local',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'courseloom-admin',
};
