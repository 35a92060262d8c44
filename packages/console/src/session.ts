import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiRequestError, setCsrfToken } from './api.js';

export type UserRole = 'owner' | 'admin' | 'member' | 'analyst' | 'publisher';

/** `GET /v1/session`: who is signed in, the workspaces they see, and the CSRF token for requests that change state. */
export interface Session {
  user: { id: string; email: string; name: string | null; role: UserRole; publisherId: string | null };
  workspaces: { id: string; name: string; visibility: 'private' | 'public' }[];
  csrfToken: string;
  expiresAt: string;
}

export const SESSION_KEY = ['session'] as const;

/** The open session, or null when nobody is signed in (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/v1/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiRequestError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<Session> {
  const session = await api.post<Session>('/v1/session', { email, password });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.delete('/v1/session');
  } finally {
    setCsrfToken(null);
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

/** The signed-in session; only for screens inside the shell, which renders them once the session is known. */
export function useCurrentSession(): Session {
  const client = useQueryClient();
  const session = client.getQueryData<Session | null>(SESSION_KEY);
  if (!session) throw new Error('useCurrentSession() outside the signed-in shell');
  return session;
}

/** Analysts read; publisher users change nothing of the merchant's; everybody else may change what they see. */
export function canWrite(session: Session): boolean {
  return session.user.role !== 'analyst' && session.user.role !== 'publisher';
}
