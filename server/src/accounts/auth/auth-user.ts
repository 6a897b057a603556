import type { UserRole } from '../../../../contracts/api';

/** The signed-in user, as the guard attaches it to the request (`@CurrentUser()`). */
export interface AuthUser {
  id: string;
  email: string;
  role: UserRole;
  organization_id: string;
  /** An operator of the installation: Bull Board and cluster-wide actions (docs/accounts-and-curriculum.md). */
  is_operator: boolean;
}

/** An Express request after the global AuthGuard has authenticated it. */
export interface AuthenticatedRequest {
  user?: AuthUser;
}
