import type { UserRole } from '../../../../contracts/api';

/**
 * The signed-in user, as the guard attaches it to the request (`@CurrentUser()`). A request made with an API key
 * acts as the key's creator (`id`, so jobs and usage rows keep a real user) with the key's role, never as an
 * operator; `email` then reads `API key "<name>"`, which is what logs and versions' "edited by" show
 * (docs/accounts-and-curriculum.md#api-keys).
 */
export interface AuthUser {
  id: string;
  /** The user's email, or `API key "<name>"` for a request made with an API key. */
  email: string;
  role: UserRole;
  organization_id: string;
  /** An operator of the installation: Bull Board and cluster-wide actions (docs/accounts-and-curriculum.md). */
  is_operator: boolean;
  /** Set when the request was authenticated by an API key: which one. */
  api_key?: { id: string; name: string };
}

/** An Express request after the global AuthGuard has authenticated it. */
export interface AuthenticatedRequest {
  user?: AuthUser;
}
